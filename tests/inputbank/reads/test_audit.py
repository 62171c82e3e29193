"""The change log read model: field, before, after, who; never a resident's personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from inputbank import services
from inputbank.reads.audit import (
    MODELS,
    SKIPPED_FIELDS,
    AuditFilter,
    input_changes,
    log_changes,
    log_records,
)
from inputbank.services import ContributorData
from tests.factories import make_input, make_process, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


ORIGINAL = "Kari på Storgata 5 vil ha en benk ved fjorden."


def _published_then_edited(moderator):
    item = make_input(
        ORIGINAL,
        published=False,
        contributor=ContributorData(name="Kari Nordmann", email="kari@example.no"),
    )
    services.input_publish(input=item, moderator=moderator, public_text="En benk ved fjorden.")
    services.input_update(
        input=item, changed_by=moderator, public_text="En benk ved utsikten.", text="Ny tekst"
    )
    return item


def has_translation(msgid: str | None, language: str) -> bool:
    """The msgid has an entry in the language's merged catalogue (the same word counts)."""
    catalogue = trans_real.translation(language)._catalog
    return msgid is not None and msgid in catalogue


def _row(rows, field):
    return next(r for r in rows if r.field == field)


def test_a_changed_public_text_shows_before_and_after_and_who(moderator):
    item = _published_then_edited(moderator)
    row = _row(input_changes(item), "Public text")
    assert (row.before, row.after) == ("En benk ved fjorden.", "En benk ved utsikten.")
    assert row.who == "moderator"


def test_an_unpublished_draft_of_the_public_text_never_shows(moderator):
    item = _published_then_edited(moderator)
    published = [r for r in input_changes(item) if r.field == "Public text"][-1]
    assert (published.before, published.after) == ("[changed]", "En benk ved fjorden.")


def test_the_original_text_and_the_contributor_never_show(moderator):
    item = _published_then_edited(moderator)
    rows = input_changes(item)
    row = _row(rows, "Original text")
    assert (row.before, row.after) == ("[changed]", "[changed]")
    shown = " ".join(f"{r.object_label} {r.before} {r.after}" for r in rows)
    assert "Storgata" not in shown and "Ny tekst" not in shown
    assert "Kari" not in shown and str(item.contributor_id) not in shown.split()


def test_the_first_record_says_created(moderator):
    item = make_input("Noe")
    assert input_changes(item)[-1].after == "Created"


def test_the_bank_log_filters_by_model_user_and_date(moderator, case_officer):
    item = _published_then_edited(moderator)
    process = make_process("havna")
    process.title = "Havna ny"
    services.process_save(process=process, changed_by=case_officer)
    by_moderator = log_changes(log_records(AuditFilter(user="moderator")))
    assert by_moderator and {r.who for r in by_moderator} == {"moderator"}
    processes = log_changes(log_records(AuditFilter(model="process")))
    assert {r.model for r in processes} == {"process"}
    title = _row(processes, "Title")
    assert (title.before, title.after) == ("Havna", "Havna ny")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert log_records(AuditFilter(date_from=tomorrow)).count() == 0
    assert any(r.link_key == str(item.public_id) for r in log_changes(log_records(AuditFilter())))


def test_a_theme_change_shows_the_theme_names_before_and_after(moderator):
    trafikk, natur = make_theme("trafikk", name="Trafikk"), make_theme("natur", name="Natur")
    item = make_input("Noe", themes=(trafikk,))
    services.input_update(input=item, changed_by=moderator, themes=[natur, trafikk])
    services.input_update(input=item, changed_by=moderator, themes=[natur])
    rows = [r for r in input_changes(item) if r.field == "Themes"]
    assert [(r.before, r.after, r.who) for r in rows[:2]] == [
        ("Natur, Trafikk", "Natur", "moderator"),
        ("Trafikk", "Natur, Trafikk", "moderator"),
    ]
    # The bank-wide log shows the same row.
    bank = log_changes(log_records(AuditFilter(model="input", user="moderator")))
    assert ("Natur, Trafikk", "Natur") in {(r.before, r.after) for r in bank if r.field == "Themes"}


def test_an_update_that_keeps_the_themes_records_no_theme_change(moderator):
    trafikk = make_theme("trafikk", name="Trafikk")
    item = make_input("Noe", themes=(trafikk,))
    services.input_update(input=item, changed_by=moderator, themes=[trafikk], summary="Kort")
    fields = {r.field for r in input_changes(item)[:2]}
    assert "Themes" not in fields and "Summary" in fields


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_field_the_log_can_name_has_a_norwegian_name(language):
    """Each field is named by its verbose name, translated in bokmål and nynorsk."""
    missing = []
    for key, (model, _label) in MODELS.items():
        for field in model.history.model.tracked_fields + [
            model._meta.get_field(f.name) for f in model.history.model._history_m2m_fields
        ]:
            original = model._meta.get_field(getattr(field, "translated_field", field).name)
            # The primary key never changes.
            if not field.editable or original.primary_key or original.name in SKIPPED_FIELDS:
                continue
            msgid = getattr(original.verbose_name, "_args", (None,))[0]
            if not isinstance(original.verbose_name, Promise) or not has_translation(
                msgid, language
            ):
                missing.append(f"{key}.{original.name}")
    assert missing == []


def test_the_field_names_read_norwegian(moderator):
    trafikk = make_theme("trafikk", name="Trafikk")
    item = make_input("Noe")
    services.input_update(input=item, changed_by=moderator, themes=[trafikk])
    services.input_reject(input=item, moderator=moderator, reason="Reklame")
    with translation.override("nb"):
        fields = {r.field for r in input_changes(item)}
    assert {"Tema", "Moderert av", "Begrunnelse for avvisning"} <= fields
