"""Multi-step writes. The ONE path that API, admin, importers and pages share.

Named ``<entity>_<verb>``, keyword-only arguments, each in a transaction. No business logic in
serializers, ``save()`` or signals.
"""

from inputbank.services.addresses import AddressImportResult, addresses_import
from inputbank.services.inputs import (
    ContributorData,
    input_publish,
    input_register,
    input_reject,
    input_submit,
)
from inputbank.services.responses import response_record

__all__ = [
    "AddressImportResult",
    "addresses_import",
    "ContributorData",
    "input_publish",
    "input_register",
    "input_reject",
    "input_submit",
    "response_record",
]
