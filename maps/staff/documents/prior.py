"""The prior-input report ("what have we heard here before?") as a Word document for the archive.

The whole answer: the question asked (area, buffer, filters), a map picture drawn on the server,
the counts, how often the area was consulted, the gaps (who and what has not been heard), the
arguments per theme with their quoted summary, statements many made, and every earlier input
with the response it got.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from docx.shared import Cm

from maps.staff.documents import word
from maps.staff.documents.map_image import render_report_map

# No., received, text, themes, process, response: 26.7 cm of landscape A4.
LIST_WIDTHS_CM = (1.2, 2.4, 9.6, 3.2, 3.8, 6.5)


def question_rows(report: dict, area_label: str) -> list[tuple[str, str]]:
    criteria = report["criteria"]
    area_km2 = report["area"].area / 1_000_000
    years = ""
    if criteria["year_from"] or criteria["year_to"]:
        years = f"{criteria['year_from'] or '…'}–{criteria['year_to'] or '…'}"
    themes = ", ".join(report["theme_names"].get(s, s) for s in criteria["themes"])
    outcomes = ", ".join(str(report["outcome_labels"].get(o, o)) for o in criteria["outcomes"])
    return [
        (_("Area"), f"{area_label} ({number_format(area_km2, 2)} km²)"),
        (_("Buffer"), f"{criteria['buffer_m']} m"),
        (_("Years"), years or _("All years")),
        (_("Themes"), themes or _("All themes")),
        (_("Outcome"), outcomes or _("All outcomes")),
        (
            _("Input awaiting moderation"),
            _("included") if criteria["include_pending"] else _("not included"),
        ),
    ]


def map_picture(report: dict) -> bytes:
    """The report's map as a PNG (the area and every hit by outcome, with its legend)."""
    outcome_legend = [
        (str(label), report["outcome_colours"].get(code, "#333333"))
        for code, label in report["outcome_labels"].items()
    ]
    return render_report_map(
        report["area"],
        report["features"],
        report["outcome_colours"],
        legend=[(_("The area asked about"), None), *outcome_legend],
    )


def count_tables(report: dict) -> list[tuple[str, list[tuple[str, object]]]]:
    """The counts of the answer: (heading, rows of label and number) per grouping."""
    return [
        (_("By outcome"), [(label, n) for _k, label, n in report["by_outcome"]]),
        (_("By theme"), [(label, n) for _k, label, n in report["by_theme"]]),
        (_("By year"), report["by_year"]),
        (
            _("By process"),
            [(p["title"] or _("No process"), p["count"]) for p in report["by_process"]],
        ),
        (_("By channel"), [(label, n) for _k, label, n in report["by_channel"]]),
    ]


def _facts_table(document, rows: list[tuple[str, object]], widths=(6.0, 4.0)) -> None:
    grid = word.table(document, [_("What"), _("Number")], widths)
    for label, value in rows:
        word.add_row(grid, [label, value])


def prior_report_document(report: dict, *, area_label: str) -> bytes:
    """Return the DOCX bytes of a prior-input report built with ``everything=True``."""
    summary = report["summary"]
    document = word.landscape_document(_("Earlier input about the area"))
    document.add_paragraph(
        _("Made %(date)s. Earlier inputs matching the question: %(n)s.")
        % {"date": timezone.localdate().strftime("%d.%m.%Y"), "n": summary["total"]}
    )
    document.add_heading(_("The question"), level=2)
    grid = word.table(document, [_("Criterion"), _("Value")], (6.0, 14.0))
    for label, value in question_rows(report, area_label):
        word.add_row(grid, [label, value])

    document.add_heading(_("Map"), level=2)
    document.add_picture(io.BytesIO(map_picture(report)), width=Cm(22))
    document.add_paragraph(
        _("The area (orange) and the earlier input, coloured by outcome. No background map.")
    )

    document.add_heading(_("Counts"), level=2)
    for title, rows in count_tables(report):
        document.add_heading(title, level=3)
        _facts_table(document, rows or [("–", 0)])

    document.add_heading(_("How often this area has been consulted"), level=2)
    if report["history"]:
        grid = word.table(
            document,
            [_("Process"), _("When"), _("Status"), _("Inputs in total"), _("Inputs in this area")],
            (8.0, 5.0, 3.0, 3.0, 3.0),
        )
        for h in report["history"]:
            process = h.process
            when = " – ".join(
                d.strftime("%d.%m.%Y") if d else "–" for d in (process.opens_on, process.closes_on)
            )
            word.add_row(
                grid,
                [
                    process.title,
                    when,
                    process.get_status_display(),
                    h.inputs_total,
                    h.inputs_in_area,
                ],
            )
    else:
        document.add_paragraph(_("No registered process has covered this area."))

    _gaps(document, report)
    _arguments(document, report)

    document.add_heading(_("Said by many"), level=2)
    if report["groups"]:
        grid = word.table(
            document, [_("Voices"), _("Statement"), _("Numbers in the list")], (2.0, 16.0, 8.7)
        )
        for g in report["groups"]:
            word.add_row(grid, [g["voices"], g["text"], ", ".join(map(str, g["numbers"]))])
    else:
        document.add_paragraph(_("No statement was made by more than one contributor."))

    document.add_heading(_("Earlier input and the responses given"), level=2)
    grid = word.table(
        document,
        [_("No."), _("Received"), _("Text"), _("Themes"), _("Process"), _("Response")],
        LIST_WIDTHS_CM,
    )
    for feature in report["features"]:
        word.add_row(grid, list_row(report, feature))
    return word.as_bytes(document)


def gap_rows(report: dict) -> tuple[str, list[tuple[str, str]]] | None:
    """The gaps (who and what has not been heard here) as an opening sentence and rows, or
    None when the report has none; the DOCX and the PDF both write these."""
    gaps = report.get("gaps")
    if not gaps:
        return None
    intro = _(
        "Nothing heard in this area since %(year)s (whatever the theme, year and outcome chosen):"
    ) % {"year": gaps["since_year"]}
    children = gaps["children_and_young"]
    if not children["complete"]:
        young = _("not known to you: children's Barnetråkk input is not shown to your role.")
    elif children["gap"]:
        young = _("none since then; the last was received %(last)s.") % {
            "last": children["last_received"] or _("never")
        }
    else:
        young = _("%(n)s since then, the last received %(last)s.") % {
            "n": children["count"],
            "last": children["last_received"],
        }

    def last(g: dict) -> str:
        return f"{g['name']} ({g['last_received'] or _('never')})"

    return intro, [
        (_("Children and young people"), young),
        (_("Themes"), ", ".join(map(last, gaps["themes"])) or "–"),
        (_("Channels"), ", ".join(map(last, gaps["channels"])) or "–"),
    ]


def argument_sections(report: dict) -> list[dict]:
    """Per theme: its summary sentences with the numbers they are quoted from, and one row per
    argument (voices, title, the earlier answer, the numbers in the list); for DOCX and PDF."""
    sections = []
    for theme in report["arguments_by_theme"]:
        summary = []
        for sentence in theme["summary"]:
            numbers = ", ".join(str(s["n"]) for s in sentence["sources"] if s["n"])
            summary.append(f"«{sentence['text']}» ({_('from no.')} {numbers or '–'})")
        rows = []
        for a in theme["arguments"]:
            answer = "–"
            if a["response"]:
                r = a["response"]
                answer = str(report["outcome_labels"].get(r["outcome"], r["outcome"]))
                answer += f": {r['justification']}" if r["justification"] else ""
                answer += f" ({r['decision_reference']})" if r["decision_reference"] else ""
            rows.append((a["voices"], a["title"], answer, ", ".join(map(str, a["numbers"]))))
        sections.append({"name": theme["name"], "summary": summary, "rows": rows})
    return sections


def _gaps(document, report: dict) -> None:
    gaps = gap_rows(report)
    if gaps is None:
        return
    intro, rows = gaps
    document.add_heading(_("Gaps in what we know"), level=2)
    document.add_paragraph(intro)
    grid = word.table(document, [_("What"), _("Not heard since then (last input)")], (6.0, 20.7))
    for row in rows:
        word.add_row(grid, list(row))


def _arguments(document, report: dict) -> None:
    """Per theme: the summary quoted from the inputs (with their numbers), then the arguments."""
    document.add_heading(_("Arguments by theme"), level=2)
    if report.get("arguments_note"):
        document.add_paragraph(report["arguments_note"])
    sections = argument_sections(report)
    if not sections:
        document.add_paragraph(_("No arguments here yet (with these filters)."))
    for section in sections:
        document.add_heading(section["name"], level=3)
        for sentence in section["summary"]:
            document.add_paragraph(sentence, style="List Bullet")
        grid = word.table(
            document,
            [_("Voices"), _("Argument"), _("Earlier answer"), _("Numbers in the list")],
            (2.0, 12.0, 7.7, 5.0),
        )
        for row in section["rows"]:
            word.add_row(grid, list(row))


def list_row(report: dict, feature: dict) -> list[object]:
    props = feature["properties"]
    response = props.get("response") or {}
    answer = str(report["outcome_labels"].get(props["outcome"], props["outcome"]))
    if response.get("justification"):
        answer += f": {response['justification']}"
    if response.get("decision_reference"):
        answer += f" ({response['decision_reference']})"
    text = props.get("text") or "–"
    if props.get("status") == "pending":
        text += f" ({_('awaiting moderation')})"
    return [
        props["n"],
        props.get("received_on", ""),
        text,
        ", ".join(report["theme_names"].get(s, s) for s in props.get("themes", [])),
        (props.get("process") or {}).get("title", ""),
        answer,
    ]
