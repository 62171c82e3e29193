import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from inputbank import roles
from tests.factories import make_user

# Two workers (pytest-xdist): the grouping and the turnstile, hooks read from this module.
from tests.parallel import (  # noqa: F401 - pytest hooks, found by name
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_setup,
    pytest_runtest_teardown,
    pytest_unconfigure,
    pytest_xdist_make_scheduler,
)


@pytest.fixture(autouse=True)
def _own_tile_cache(settings, tmp_path):
    """Tiles and the map's counts per place are cached: each test gets an empty cache of its own.

    The default is a folder in var/, which would carry one test's answers into another's.
    """
    settings.TILES = {**settings.TILES, "CACHE_DIR": str(tmp_path / "tile-cache")}


@pytest.fixture(autouse=True)
def _no_language_left_over():
    """A request's LocaleMiddleware leaves its language active in the thread; reset it, so a
    test that browsed in English does not make the next test's data English."""
    yield
    translation.deactivate()


@pytest.fixture
def case_officer(db):
    return make_user("officer", roles.CASE_OFFICERS)


@pytest.fixture
def moderator(db):
    return make_user("moderator", roles.MODERATORS)


@pytest.fixture
def gis_user(db):
    return make_user("gis", roles.GIS)


@pytest.fixture
def adviser(db):
    return make_user("adviser", roles.PARTICIPATION_ADVISERS)


@pytest.fixture
def resident(db):
    return make_user("resident")


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ADDRESS_SAMPLE = FIXTURES / "addresses" / "moss-adresser-25832.csv"
PLACENAME_SAMPLE = FIXTURES / "placenames" / "moss-stedsnavn-25833.gml"


@pytest.fixture
def moss_addresses(db):
    """The synthetic Moss address register (720 addresses), imported like in production."""
    call_command("import_addresses", str(ADDRESS_SAMPLE), stdout=io.StringIO())


@pytest.fixture
def moss_placenames(db):
    """The Moss sample of Kartverket's place-name register (Stedsnavn GML), imported."""
    call_command("import_placenames", str(PLACENAME_SAMPLE), stdout=io.StringIO())
