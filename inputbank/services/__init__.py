"""Multi-step writes. The ONE path that API, admin, importers and pages share.

Named ``<entity>_<verb>``, keyword-only arguments, each in a transaction. No business logic in
serializers, ``save()`` or signals.
"""

from inputbank.services.answers import Answer, BulkAnswer, response_answer, response_answer_bulk
from inputbank.services.attachments import (
    AttachmentRefused,
    PreparedAttachment,
    attachment_prepare,
    attachment_store,
)
from inputbank.services.comments import comment_publish, comment_reject
from inputbank.services.feedback_email import (
    FeedbackNotQueued,
    SendReport,
    feedback_message,
    feedback_queue,
    feedback_retry,
    feedback_send,
)
from inputbank.services.inputs import (
    ContributorData,
    input_publish,
    input_register,
    input_reject,
    input_submit,
)
from inputbank.services.processes import ProcessData, process_create, process_update
from inputbank.services.responses import response_record

__all__ = [
    "Answer",
    "AttachmentRefused",
    "PreparedAttachment",
    "ProcessData",
    "attachment_prepare",
    "attachment_store",
    "comment_publish",
    "comment_reject",
    "process_create",
    "process_update",
    "BulkAnswer",
    "ContributorData",
    "FeedbackNotQueued",
    "SendReport",
    "feedback_message",
    "feedback_queue",
    "feedback_retry",
    "feedback_send",
    "input_publish",
    "input_register",
    "input_reject",
    "input_submit",
    "response_answer",
    "response_answer_bulk",
    "response_record",
]
