"""Fixtures the read-model tests share: a real SMTP server, answered input (with the staff
tests), and prior input's bank (``prior_bank.py``; a module that defines its own ``bank``
fixture, such as test_argument_blocks.py, uses that one: the nearer definition wins)."""

from tests.inputbank.reads.prior_bank import bank  # noqa: F401 - a fixture, used by name
from tests.smtp import smtp_down, smtp_server  # noqa: F401 - fixtures, used by name
from tests.staff.conftest import (  # noqa: F401 - fixtures, used by name
    input_wanting_feedback,
    process,
)
