import pytest

from inputbank import roles
from tests.factories import make_user


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
