"""Multi-step writes. The ONE path that API, admin, importers and pages share.

Named ``<entity>_<verb>``, keyword-only arguments, each in a transaction. No business logic in
serializers, ``save()`` or signals.
"""

from inputbank.services.imports import NewInput, inputs_bulk_register
from inputbank.services.inputs import (
    ContributorData,
    input_publish,
    input_register,
    input_reject,
    input_submit,
)
from inputbank.services.responses import response_record

__all__ = [
    "ContributorData",
    "NewInput",
    "input_publish",
    "input_register",
    "input_reject",
    "input_submit",
    "inputs_bulk_register",
    "response_record",
]
