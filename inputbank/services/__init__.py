"""Multi-step writes. The ONE path that API, admin, importers and pages share.

Named ``<entity>_<verb>``, keyword-only arguments, each in a transaction. No business logic in
serializers, ``save()`` or signals.
"""

from inputbank.services.answers import Answer, BulkAnswer, response_answer, response_answer_bulk
from inputbank.services.feedback import (
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
from inputbank.services.responses import response_record

__all__ = [
    "Answer",
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
