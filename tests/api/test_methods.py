"""Every endpoint answers HEAD, OPTIONS and wrong methods cleanly (no server errors)."""

import pytest

from tests.api.helpers import body
from tests.factories import make_input, make_process

pytestmark = pytest.mark.django_db


def _urls():
    item = make_input()
    make_process("sentrum")
    base = f"/api/v1/inputs/{item.public_id}/"
    return [
        "/api/v1/themes/",
        "/api/v1/processes/",
        "/api/v1/processes/sentrum/",
        "/api/v1/inputs/",
        base,
        base + "publish/",
        base + "reject/",
        base + "response/",
        base + "comments/",
        base + "support/",
        "/api/v1/prior-input/",
        "/api/v1/form-token/",
    ]


def test_options_and_head_never_fail(api):
    for url in _urls():
        assert api.options(url).status_code in (200, 401, 403), url
        assert api.head(url).status_code in (200, 401, 403, 405), url


def test_wrong_method_is_a_405_in_the_error_shape(api):
    response = api.delete("/api/v1/inputs/")
    assert response.status_code == 405
    assert body(response)["errors"][0]["message"] == "method not allowed here"
