"""The OpenAPI description and the API agree: schemathesis, a conformance tool written by
others, sends schema-derived requests to every operation and checks each answer with all its
checks (status code documented, content type documented, body matches its schema, no server
error, ...).

Every check but one: ``positive_data_acceptance`` (a schema-valid request must get a 2xx) is
left out, because validity here also depends on what JSON Schema cannot say: a form token
fetched first (anti-bot), themes and processes that exist, a bbox's minimum below its
maximum, "a geometry or a process, not both", KML's fixed CRS. Those answers are 400 with a
message, which the other checks do verify (documented status, content type and body).
Positive and negative examples both (negative: the schema-violating request must be refused).

Anonymous, a bounded number of examples per operation (``SCHEMATHESIS_EXAMPLES``, default
10) so ``./scripts/test`` stays quick; the app is called in process over WSGI, against the
schema it serves at /api/v1/schema/.
"""

from __future__ import annotations

import itertools
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import make_input, make_process, make_theme, point

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    """The project's WSGI app, minus the per-request connection closing (as Django's test
    client does): the test's transaction, and its rows, live on that connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def sample(db):
    theme = make_theme("transport", name="Transport")
    process = make_process("sentrum-2024")
    make_input("Trygg skolevei", geom=point(10.658, 59.434), themes=(theme,), process=process)


def test_every_operation_answers_as_documented(sample, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    failures: dict[str, str] = {}
    operations = 0
    for result, mode in itertools.product(schema.get_all_operations(), GenerationMode):
        operation = result.ok()
        operations += 1

        @BOUNDED
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        try:
            check()
        except Unsatisfiable:
            continue  # negative mode, an operation without parameters: nothing to break
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, not the first
            failures[f"{operation.label} ({mode.value})"] = str(exc)[:1500]
    assert operations > 10
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
