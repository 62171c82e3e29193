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
10) so ``./scripts/test`` stays quick; then once per staff role (inputbank.roles), with a
token, fewer examples each (``SCHEMATHESIS_ROLE_EXAMPLES``, default 2) and path parameters
that name existing rows for half the positive ones (the first always): a role sees other
answers (403 where it lacks the right, unpublished rows, write paths that get past the
permission check) and every one of them must be documented too. The app is called in process
over WSGI, against the schema it serves at /api/v1/schema/.
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
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from inputbank import roles
from tests.factories import make_input, make_process, make_theme, make_user, point

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
ROLE_EXAMPLES = int(os.environ.get("SCHEMATHESIS_ROLE_EXAMPLES", "2"))


def bounded(examples: int):
    return settings(
        max_examples=examples,
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
    published = make_input(
        "Trygg skolevei", geom=point(10.658, 59.434), themes=(theme,), process=process
    )
    pending = make_input("Ikke moderert", geom=point(10.66, 59.435), published=False)
    return {"published": published, "pending": pending, "process": process}


def existing(sample) -> dict[str, list[str]]:
    """Path parameters that name rows that exist: without them a staff role's write paths
    (publish, reject, respond, edit) would only ever answer 404 to random ids."""
    ids = [str(sample["published"].public_id), str(sample["pending"].public_id)]
    return {"public_id": ids, "key": [sample["process"].slug]}


def with_existing(strategy, known: dict[str, list[str]]):
    """Half the cases get path parameters of rows that exist, the first (simplest) one always
    (positive examples only: a negative example's broken path parameter must stay broken)."""

    def fill(case, pick: int):
        if pick % 2 == 0:
            for name, values in known.items():
                if name in case.path_parameters:
                    case.path_parameters[name] = values[pick % len(values)]
        return case

    return st.tuples(strategy, st.integers(0, 3)).map(lambda pair: fill(*pair))


def run_every_operation(
    wsgi_app,
    examples: int,
    headers: dict[str, str] | None = None,
    known: dict[str, list[str]] | None = None,
) -> None:
    """Every operation, positive and negative examples; all failures reported at once.

    With ``headers`` (a staff token) the ``ignored_auth`` check is left out: it sends a
    made-up session cookie beside our valid token and calls the 200 "invalid auth accepted";
    whether the API refuses missing or made-up credentials is what the anonymous run checks.
    """
    excluded = [positive_data_acceptance] + ([ignored_auth] if headers else [])
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", wsgi_app)
    failures: dict[str, str] = {}
    operations = 0
    for result, mode in itertools.product(schema.get_all_operations(), GenerationMode):
        operation = result.ok()
        operations += 1

        strategy = operation.as_strategy(generation_mode=mode)
        if known and mode == GenerationMode.POSITIVE:
            strategy = with_existing(strategy, known)

        @bounded(examples)
        @given(case=strategy)
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        try:
            check()
        except Unsatisfiable:
            continue  # negative mode, an operation without parameters: nothing to break
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, not the first
            failures[f"{operation.label} ({mode.value})"] = str(exc)[:1500]
    assert operations > 10
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_every_operation_answers_as_documented(sample, wsgi_app):
    run_every_operation(wsgi_app, EXAMPLES)


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_every_operation_answers_as_documented_for_each_staff_role(sample, wsgi_app, role):
    user = make_user(f"st-{role}", role)
    token = Token.objects.create(user=user).key
    headers = {"Authorization": f"Token {token}"}
    run_every_operation(wsgi_app, ROLE_EXAMPLES, headers, existing(sample))
