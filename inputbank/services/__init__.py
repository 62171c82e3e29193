"""Multi-step writes. The ONE path that API, admin, importers and pages share.

Named ``<entity>_<verb>``, keyword-only arguments, each in a transaction. No business logic in
serializers, ``save()`` or signals.
"""

from inputbank.services.addresses import AddressImportResult, addresses_import
from inputbank.services.answers import Answer, BulkAnswer, response_answer, response_answer_bulk
from inputbank.services.arguments import (
    argument_answer,
    argument_confirm,
    argument_match,
    argument_merge,
    argument_rename,
    argument_split,
    arguments_match_many,
)
from inputbank.services.arguments_regroup import (
    RegroupResult,
    arguments_regroup,
    arguments_reset,
)
from inputbank.services.attachments import (
    AttachmentRefused,
    NoInputForPhoto,
    PreparedAttachment,
    attachment_add_resident_photo,
    attachment_prepare,
    attachment_read,
    attachment_store,
)
from inputbank.services.audit import audit_record
from inputbank.services.feedback import (
    NotPublished,
    comment_publish,
    comment_reject,
    comment_submit,
    support_add,
)
from inputbank.services.feedback_email import (
    FeedbackNotQueued,
    SendReport,
    feedback_message,
    feedback_queue,
    feedback_retry,
    feedback_send,
)
from inputbank.services.imports import inputs_bulk_register
from inputbank.services.imports_rows import NewInput
from inputbank.services.inputs import (
    UNSET,
    ContributorData,
    input_publish,
    input_register,
    input_reject,
    input_submit,
    input_update,
)
from inputbank.services.meetings import MeetingData, meeting_add, meeting_change, meeting_delete
from inputbank.services.processes import ProcessData, process_create, process_save, process_update
from inputbank.services.responses import response_record
from inputbank.services.staff import staff_language_set
from inputbank.services.still_true import (
    NotOpen,
    VoiceResult,
    argument_check_open,
    argument_voice_add,
)

__all__ = [
    "UNSET",
    "AddressImportResult",
    "addresses_import",
    "Answer",
    "AttachmentRefused",
    "BulkAnswer",
    "ContributorData",
    "FeedbackNotQueued",
    "NoInputForPhoto",
    "NotPublished",
    "PreparedAttachment",
    "ProcessData",
    "SendReport",
    "NotOpen",
    "VoiceResult",
    "argument_check_open",
    "argument_voice_add",
    "argument_answer",
    "argument_confirm",
    "argument_match",
    "argument_merge",
    "argument_rename",
    "argument_split",
    "arguments_match_many",
    "arguments_regroup",
    "arguments_reset",
    "RegroupResult",
    "attachment_add_resident_photo",
    "audit_record",
    "MeetingData",
    "meeting_add",
    "meeting_change",
    "meeting_delete",
    "attachment_prepare",
    "attachment_read",
    "attachment_store",
    "comment_publish",
    "comment_reject",
    "comment_submit",
    "NewInput",
    "feedback_message",
    "feedback_queue",
    "feedback_retry",
    "feedback_send",
    "input_publish",
    "input_register",
    "input_reject",
    "input_submit",
    "input_update",
    "inputs_bulk_register",
    "process_create",
    "process_save",
    "process_update",
    "staff_language_set",
    "response_answer",
    "response_answer_bulk",
    "response_record",
    "support_add",
]
