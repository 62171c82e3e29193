"""Multi-step writes. The ONE path that API, admin, importers and pages share.

Named ``<entity>_<verb>``, keyword-only arguments, each in a transaction. No business logic in
serializers, ``save()`` or signals.
"""

from inputbank.services.addresses import AddressImportResult, addresses_import
from inputbank.services.feedback import (
    NotPublished,
    comment_publish,
    comment_reject,
    comment_submit,
    support_add,
)
from inputbank.services.imports import NewInput, inputs_bulk_register
from inputbank.services.inputs import (
    UNSET,
    ContributorData,
    input_publish,
    input_register,
    input_reject,
    input_submit,
    input_update,
)
from inputbank.services.responses import response_record

__all__ = [
    "UNSET",
    "AddressImportResult",
    "addresses_import",
    "ContributorData",
    "NotPublished",
    "comment_publish",
    "comment_reject",
    "comment_submit",
    "NewInput",
    "input_publish",
    "input_register",
    "input_reject",
    "input_submit",
    "input_update",
    "inputs_bulk_register",
    "response_record",
    "support_add",
]
