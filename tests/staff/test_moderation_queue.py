"""The moderation queue as a moderator works through it: filters, order, pages, staying put."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inputbank import roles
from inputbank.models import Comment, Input, Process
from maps.staff.views.moderation import QUEUE_PAGE
from tests.factories import box, make_input, make_process, make_theme, make_user
from tests.staff.conftest import contributor

pytestmark = pytest.mark.django_db

QUEUE = "/staff/moderation/"


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def _age(item: Input, days: int) -> Input:
    Input.objects.filter(pk=item.pk).update(received_at=timezone.now() - dt.timedelta(days=days))
    item.refresh_from_db()
    return item


@pytest.fixture
def bank(db):
    """Pending input as the real bank holds it: an old closed process and an open one, anonymous
    input beside identified, web map beside letters, some with themes, some already handled."""
    old = make_process("sentrum-2019", title="Sentrumsplan 2019", status="closed")
    open_ = make_process("kyststien", title="Kyststien ved Kanalen")
    traffic = make_theme("trafikk", name="Trafikk")
    nature = make_theme("natur", name="Natur")
    items = {
        "old_letter": _age(
            make_input(
                "Gammelt brev om torget.",
                process=old,
                channel="letter",
                contributor=contributor(),
                published=False,
            ),
            400,
        ),
        "anon_traffic": _age(
            make_input("Anonym: farlig kryss.", process=open_, themes=(traffic,), published=False),
            10,
        ),
        "named_nature": _age(
            make_input(
                "Bevar strandengen.",
                process=open_,
                themes=(nature,),
                contributor=contributor(),
                published=False,
                geom=box(10.65, 59.43, 10.66, 59.44),
            ),
            2,
        ),
        "published": make_input("Allerede publisert.", process=open_),
    }
    return items


def _page(client, query: str = "") -> str:
    return client.get(QUEUE + query).content.decode()


def test_filters_by_process_channel_and_theme(mod_client, bank):
    by_process = _page(mod_client, "?process=kyststien")
    assert "Anonym: farlig kryss." in by_process and "Bevar strandengen." in by_process
    assert "Gammelt brev om torget." not in by_process
    by_channel = _page(mod_client, "?channel=letter")
    assert "Gammelt brev om torget." in by_channel and "Bevar strandengen." not in by_channel
    by_theme = _page(mod_client, "?theme=natur")
    assert "Bevar strandengen." in by_theme and "Anonym: farlig kryss." not in by_theme
    assert "Allerede publisert." not in _page(mod_client)


def test_filters_by_age(mod_client, bank):
    older = _page(mod_client, "?older=30")
    assert "Gammelt brev om torget." in older and "Anonym: farlig kryss." not in older
    since = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    recent = _page(mod_client, f"?since={since}")
    assert "Bevar strandengen." in recent and "Anonym: farlig kryss." not in recent


def test_a_filter_it_cannot_read_is_left_out_and_said(mod_client, bank):
    page = _page(mod_client, "?since=igår&older=mange")
    assert "Gammelt brev om torget." in page and "Bevar strandengen." in page
    assert "could not be read" in page


def test_sorts_oldest_or_newest_first(mod_client, bank):
    oldest = _page(mod_client)
    assert oldest.index("Gammelt brev") < oldest.index("Anonym: farlig") < oldest.index("Bevar")
    newest = _page(mod_client, "?sort=newest")
    assert newest.index("Bevar") < newest.index("Anonym: farlig") < newest.index("Gammelt brev")


def test_pages_keep_the_filters(mod_client):
    process = make_process("lang-kø")
    for n in range(QUEUE_PAGE + 3):
        make_input(f"Innspill nummer {n:02}.", process=process, published=False)
    make_input("Utenfor filteret.", published=False)
    first = _page(mod_client, "?process=lang-kø&sort=newest")
    assert "Utenfor filteret." not in first
    assert "process=lang-k%C3%B8&amp;sort=newest&amp;page=2" in first
    second = _page(mod_client, "?process=lang-kø&sort=newest&page=2")
    assert second.count('class="moderation-item" id="input-') == 3


def test_after_an_action_the_moderator_is_back_on_the_same_filtered_page(mod_client, bank):
    here = f"{QUEUE}?process=kyststien&sort=newest"
    page = _page(mod_client, "?process=kyststien&sort=newest")
    # The form carries where to come back to: this page, at the next item in the list.
    item, following = bank["named_nature"], bank["anon_traffic"]
    back = f"{here}#input-{following.public_id}"
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in page
    response = mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "publish", "public_text": item.text, "next": back},
    )
    assert response["Location"] == back
    after = mod_client.get(response["Location"]).content.decode()
    assert "Bevar strandengen." not in after.split("</form>", 1)[1]
    assert "Anonym: farlig kryss." in after


def test_a_refused_action_also_goes_back_to_the_page(mod_client, bank):
    item = bank["anon_traffic"]
    back = f"{QUEUE}?channel=web_map&page=1#input-{item.public_id}"
    response = mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "reject", "reason": "", "next": back},
    )
    assert response["Location"] == back
    item.refresh_from_db()
    assert item.status == "pending"


def test_links_to_an_input_open_that_input(mod_client, bank):
    item = bank["anon_traffic"]
    Comment.objects.create(input=bank["published"], text="Enig i dette.")
    page = _page(mod_client)
    assert reverse("staff:input_detail", kwargs={"public_id": item.public_id}) in page
    # The comment's input is a link to that input, too.
    published = reverse("staff:input_detail", kwargs={"public_id": bank["published"].public_id})
    assert f'<a href="{published}">' in page


def test_the_input_page_links_to_the_queue_page_that_shows_it(mod_client):
    items = [
        _age(make_input(f"Kø {n:02}.", published=False), 100 - n) for n in range(QUEUE_PAGE + 2)
    ]
    last = items[-1]
    detail = mod_client.get(reverse("staff:input_detail", kwargs={"public_id": last.public_id}))
    target = f"{QUEUE}?page=2#input-{last.public_id}"
    assert f'href="{target}"' in detail.content.decode()
    assert f'id="input-{last.public_id}"' in _page(mod_client, "?page=2")


def test_each_item_shows_a_small_map_of_its_shape(mod_client, bank):
    page = _page(mod_client, "?theme=natur")
    assert page.count('<svg class="shape"') == 1
    assert "<path d=" in page  # an area, drawn as its outline
    point_page = _page(mod_client, "?theme=trafikk")
    assert "<circle" in point_page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", ("Eldre enn (dager)", "Nyeste først", "Mottatt fra og med")),
        ("nn", ("Eldre enn (dagar)", "Nyaste først", "Motteke frå og med")),
    ],
)
def test_the_queue_speaks_the_moderators_language(client, bank, language, words):
    client.force_login(make_user(None, roles.MODERATORS, language=language))
    page = _page(client)
    for word in words:
        assert word in page
    assert "Older than" not in page


def _comment(item: Input, text: str, days: int = 0) -> Comment:
    comment = Comment.objects.create(input=item, text=text)
    when = timezone.now() - dt.timedelta(days=days)
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    return comment


@pytest.fixture
def comments(bank):
    """Pending comments on published input of the two processes, of different ages."""
    old = make_input("Publisert om torget.", process=Process.objects.get(slug="sentrum-2019"))
    return {
        "old": _comment(old, "Gammel kommentar om torget.", days=60),
        "recent": _comment(bank["published"], "Ny kommentar om kyststien.", days=1),
        "middle": _comment(bank["published"], "Eldre kommentar om kyststien.", days=20),
    }


def _comment_part(page: str) -> str:
    return page.split('id="comments"', 1)[1]


def test_comments_filter_by_the_process_of_their_input(mod_client, comments):
    page = _comment_part(_page(mod_client, "?process=kyststien"))
    assert "Ny kommentar om kyststien." in page and "Eldre kommentar" in page
    assert "Gammel kommentar om torget." not in page
    assert "2 comments awaiting moderation" in page


def test_comments_filter_by_their_own_age(mod_client, comments):
    older = _comment_part(_page(mod_client, "?older=14"))
    assert "Gammel kommentar" in older and "Eldre kommentar" in older
    assert "Ny kommentar" not in older
    since = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    recent = _comment_part(_page(mod_client, f"?since={since}&process=kyststien"))
    assert "Ny kommentar" in recent and "Eldre kommentar" in recent
    assert "Gammel kommentar" not in recent


def test_comments_sort_like_the_input(mod_client, comments):
    oldest = _comment_part(_page(mod_client))
    assert oldest.index("Gammel kommentar") < oldest.index("Eldre kommentar") < oldest.index("Ny")
    newest = _comment_part(_page(mod_client, "?sort=newest"))
    assert newest.index("Ny kommentar") < newest.index("Eldre") < newest.index("Gammel")


def test_comments_page_on_their_own_and_keep_the_filters(mod_client, bank):
    for n in range(QUEUE_PAGE + 2):
        _comment(bank["published"], f"Kommentar nummer {n:02}.", days=n)
    first = _comment_part(_page(mod_client, "?process=kyststien&page=1"))
    assert first.count('id="comment-') == QUEUE_PAGE
    assert "process=kyststien&amp;page=1&amp;comment_page=2#comments" in first
    second = _comment_part(_page(mod_client, "?process=kyststien&page=1&comment_page=2"))
    assert second.count('id="comment-') == 2


def test_after_a_comment_is_handled_the_moderator_is_back_at_the_next_comment(mod_client, comments):
    here = f"{QUEUE}?process=kyststien"
    page = _page(mod_client, "?process=kyststien")
    back = f"{here}#comment-{comments['recent'].pk}"
    assert f'name="next" value="{back}"' in page
    response = mod_client.post(
        reverse("staff:moderate_comment", kwargs={"pk": comments["middle"].pk}),
        {"action": "publish", "public_text": "Eldre kommentar om kyststien.", "next": back},
    )
    assert response["Location"] == back
    assert "Eldre kommentar" not in _comment_part(mod_client.get(back).content.decode())
