import pytest

from inputbank import services
from tests.factories import make_input, make_process, make_theme
from tests.smtp import smtp_server  # noqa: F401 - a fixture, used by name


@pytest.fixture
def english(client):
    """Interface in English, so tests can read the words (msgids) the templates use."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def sentrum(db):
    return make_process("sentrum", title="Sentrumsplan", purpose="Et levende sentrum.")


@pytest.fixture
def transport(db):
    return make_theme("transport", name="Transport og veier", colour="#b03a2e")


@pytest.fixture
def answered(sentrum, transport):
    item = make_input("Trygg sykkelvei langs kanalen, takk.", themes=(transport,), process=sentrum)
    services.response_record(
        input=item,
        outcome="adopted",
        justification="Sykkelveien er tatt inn i planen.",
        decided_by=None,
        decision_reference="PS 45/24",
    )
    return item


@pytest.fixture
def pending(sentrum, transport):
    return make_input(
        "Hemmelig ventende innspill", themes=(transport,), process=sentrum, published=False
    )
