"""Fixtures the read-model tests share with the staff tests: a real SMTP server, answered input."""

from tests.smtp import smtp_down, smtp_server  # noqa: F401 - fixtures, used by name
from tests.staff.conftest import (  # noqa: F401 - fixtures, used by name
    input_wanting_feedback,
    process,
)
