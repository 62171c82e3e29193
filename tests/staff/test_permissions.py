"""Who gets what from /staff/: anonymous and residents nothing, each role only its pages."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from inputbank import roles
from inputbank.models import Comment
from inputbank.services import ContributorData
from tests.factories import make_input, make_process, make_user

pytestmark = pytest.mark.django_db

GET_PAGES = [
    ("staff:dashboard", {}),
    ("staff:process_list", {}),
    ("staff:process_create", {}),
    ("staff:process_detail", {"pk": "process"}),
    ("staff:process_edit", {"pk": "process"}),
    ("staff:merknad", {"pk": "process"}),
    ("staff:merknad_csv", {"pk": "process"}),
    ("staff:merknad_docx", {"pk": "process"}),
    ("staff:input_list", {}),
    ("staff:input_register", {}),
    ("staff:input_detail", {"public_id": "input"}),
    ("staff:moderation", {}),
    ("staff:prior_input", {}),
    ("staff:consultation_map", {}),
    ("staff:grid", {}),
    ("staff:indicators", {}),
    ("staff:indicators_csv", {}),
    ("staff:feedback", {}),
    ("staff:argument_list", {}),
    ("staff:argument_detail", {"pk": "argument"}),
]
POST_ACTIONS = [
    ("staff:respond_bulk", {}),
    ("staff:input_respond", {"public_id": "input"}),
    ("staff:input_merknad", {"public_id": "input"}),
    ("staff:moderate_input", {"public_id": "input"}),
    ("staff:moderate_comment", {"pk": "comment"}),
    ("staff:prior_input_print", {}),
    ("staff:prior_input_csv", {}),
    ("staff:prior_input_docx", {}),
    ("staff:prior_input_gpkg", {}),
    ("staff:feedback_retry", {"public_id": "delivery"}),
    ("staff:argument_confirm", {"pk": "argument"}),
    ("staff:argument_rename", {"pk": "argument"}),
    ("staff:argument_merge", {"pk": "argument"}),
    ("staff:argument_split", {"pk": "argument"}),
    ("staff:argument_move_out", {"pk": "argument"}),
    ("staff:argument_answer", {"pk": "argument"}),
    ("staff:still_true", {"pk": "process"}),
]
# What each role may open (everything else answers 403).
ALLOWED = {
    roles.CASE_OFFICERS: {name for name, _ in GET_PAGES},
    roles.MODERATORS: {
        "staff:dashboard",
        "staff:input_list",
        "staff:input_detail",
        "staff:argument_list",
        "staff:argument_detail",
        "staff:moderation",
        "staff:prior_input",
        "staff:consultation_map",
        "staff:grid",
    },
    roles.GIS: {"staff:dashboard", "staff:prior_input", "staff:consultation_map", "staff:grid"},
    roles.PARTICIPATION_ADVISERS: {
        "staff:dashboard",
        "staff:prior_input",
        "staff:consultation_map",
        "staff:grid",
        "staff:indicators",
        "staff:indicators_csv",
    },
}


@pytest.fixture
def objects(db):
    process = make_process("permissions")
    item = make_input(
        "Ring meg på 912 34 567.",
        process=process,
        published=False,
        contributor=ContributorData(name="Ola Hemmelig", email="ola@example.no"),
    )
    comment = Comment.objects.create(input=item, text="En kommentar")
    return {
        "process": process.pk,
        "input": item.public_id,
        "comment": comment.pk,
        "delivery": uuid.uuid4(),
        "argument": item.argument_id,
    }


def url(name, kwargs, objects):
    return reverse(name, kwargs={k: objects[v] for k, v in kwargs.items()})


@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES + POST_ACTIONS)
def test_anonymous_users_are_sent_to_log_in(client, objects, name, kwargs):
    target = url(name, kwargs, objects)
    response = client.post(target) if (name, kwargs) in POST_ACTIONS else client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert b"Ola" not in response.content


@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES + POST_ACTIONS)
def test_residents_get_nothing(client, objects, resident, name, kwargs):
    client.force_login(resident)
    target = url(name, kwargs, objects)
    response = client.post(target) if (name, kwargs) in POST_ACTIONS else client.get(target)
    assert response.status_code == 403
    assert b"Ola" not in response.content
    assert b"912 34 567" not in response.content


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES)
def test_each_role_opens_only_its_pages(client, objects, role, name, kwargs):
    client.force_login(make_user(f"u-{role}", role))
    response = client.get(url(name, kwargs, objects))
    expected = 200 if name in ALLOWED[role] else 403
    assert response.status_code == expected


def test_moderators_do_not_see_contributor_data(client, objects, moderator):
    client.force_login(moderator)
    for page in ("staff:moderation", "staff:input_list"):
        assert b"Ola Hemmelig" not in client.get(reverse(page)).content
    detail = client.get(reverse("staff:input_detail", kwargs={"public_id": objects["input"]}))
    assert b"Ola Hemmelig" not in detail.content
    assert b"ola@example.no" not in detail.content


def test_case_officers_see_contributor_data(client, objects, case_officer):
    client.force_login(case_officer)
    detail = client.get(reverse("staff:input_detail", kwargs={"public_id": objects["input"]}))
    assert b"Ola Hemmelig" in detail.content


def test_moderators_cannot_record_responses(client, objects, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("staff:input_respond", kwargs={"public_id": objects["input"]}),
        {"outcome": "adopted", "justification": "Ja.", "stage": "other"},
    )
    assert response.status_code == 403


def test_moderators_cannot_write_the_merknad_summary(client, objects, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("staff:input_merknad", kwargs={"public_id": objects["input"]}),
        {"summary": "Endret.", "sender_category": "private"},
    )
    assert response.status_code == 403


def test_gis_users_cannot_moderate(client, objects, gis_user):
    client.force_login(gis_user)
    response = client.post(
        reverse("staff:moderate_input", kwargs={"public_id": objects["input"]}),
        {"action": "publish", "public_text": "Ok"},
    )
    assert response.status_code == 403


def test_staff_pages_are_not_cached(client, objects, case_officer):
    client.force_login(case_officer)
    response = client.get(reverse("staff:input_list"))
    assert "no-store" in response["Cache-Control"]


def test_menu_shows_only_what_the_role_may_use(client, gis_user):
    client.force_login(gis_user)
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("staff:consultation_map") in page
    assert reverse("staff:moderation") not in page
    assert reverse("staff:indicators") not in page


def test_staff_pages_carry_the_strict_csp(client, case_officer):
    client.force_login(case_officer)
    policy = client.get(reverse("staff:prior_input"))["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline' " not in policy.split("script-src")[1].split(";")[0]


def test_staff_pages_have_no_inline_scripts(client, objects, case_officer):
    client.force_login(case_officer)
    for name, kwargs in GET_PAGES:
        response = client.get(url(name, kwargs, objects))
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            # Every <script> either loads a file or is a JSON data island (json_script).
            for chunk in html.split("<script")[1:]:
                tag = chunk.split(">", 1)[0]
                assert "src=" in tag or 'type="application/json"' in tag, (name, tag)
