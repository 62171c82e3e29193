"""The import page refuses a mapping file, a coordinate system, a whole file and single cells
in the officer's own language (bokmål, nynorsk or English), not in the code's English."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from inputbank import roles
from inputbank.geomessages import geo_message
from inputbank.imports import MappingError, parse_mapping
from tests.factories import make_user

pytestmark = pytest.mark.django_db

URL = "/staff/import/"
CSV = "tekst;kanal\nBenk ved stranda;letter\n"


def page(client, language: str, *, csv: str = CSV, mapping: bytes | None = None, **fields) -> str:
    """The page an officer reading ``language`` gets back, as the text a person reads."""
    client.force_login(make_user("officer", roles.CASE_OFFICERS, language=language))
    data = {"file": SimpleUploadedFile("notater.csv", csv.encode()), **fields}
    if mapping is not None:
        data["mapping"] = SimpleUploadedFile("kobling.toml", mapping)
    return html.unescape(client.post(URL, data).content.decode())


# What the officer sends, and the words the page must hold in each language.
REFUSALS = {
    "wrong key in the mapping file": (
        {"mapping": b'[columns]\nfarge = "Farge"\n'},
        {
            "nb": "columns.farge: ukjent felt; bruk ett av disse: text, themes",
            "nn": "columns.farge: ukjent felt; bruk eitt av desse: text, themes",
            "en": "columns.farge: unknown field; use one of text, themes",
        },
    ),
    "mapping file that is not TOML": (
        {"mapping": b'[columns]\ntext = "Innspill\n'},
        {
            "nb": "koblingsfilen kan ikke leses: feil i linje 2, tegn",
            "nn": "koplingsfila kan ikkje lesast: feil i linje 2, teikn",
            "en": "the mapping file cannot be read: line 2, column",
        },
    ),
    "mapping file that is not text": (
        {"mapping": b"\xff\xfe[columns]"},
        {
            "nb": "Koblingsfilen må være tekst i UTF-8.",
            "nn": "Koplingsfila må vere tekst i UTF-8.",
            "en": "The mapping file must be UTF-8 text.",
        },
    ),
    "coordinate system that is no number": (
        {"srid": "EPSG:abc"},
        {
            "nb": "oppgi en EPSG-kode, for eksempel 25832",
            "nn": "oppgi ein EPSG-kode, til dømes 25832",
            "en": "give an EPSG code such as 25832",
        },
    ),
    "coordinate system PROJ does not know": (
        {"srid": "999999"},
        {
            "nb": "EPSG:999999 er ikke et kjent koordinatsystem",
            "nn": "EPSG:999999 er ikkje eit kjent koordinatsystem",
            "en": "EPSG:999999 is not a known coordinate reference system",
        },
    ),
    "file without a coordinate system": (
        {"csv": "tekst;kanal;x;y\nBenk;letter;594048;6589551\n"},
        {
            "nb": "Filen kan ikke importeres: filen har ikke noe koordinatsystem: oppgi EPSG",
            "nn": "Fila kan ikkje importerast: fila har ikkje noko koordinatsystem: oppgi EPSG",
            "en": "The file cannot be imported: the file has no coordinate reference system",
        },
    ),
    "mapping naming a column the file lacks": (
        {"mapping": b'[columns]\ntext = "Innspill"\n'},
        {
            "nb": "columns.text: filen har ingen kolonne med navnet 'Innspill'",
            "nn": "columns.text: fila har ingen kolonne med namnet 'Innspill'",
            "en": "columns.text: the file has no column 'Innspill'",
        },
    ),
    "default the mapping file gets wrong": (
        {"mapping": b'[defaults]\nchannel = "brevdue"\n'},
        {
            "nb": "defaults: ukjent kanal 'brevdue'; bruk en av web_map",
            "nn": "defaults: ukjend kanal 'brevdue'; bruk ein av web_map",
            "en": "defaults: unknown channel 'brevdue'; use one of web_map",
        },
    ),
    "file without a text column": (
        {"csv": "navn;kanal\nBenk;letter\n"},
        {
            "nb": "ingen kolonne har teksten: oppgi den i koblingen (columns.text)",
            "nn": "ingen kolonne har teksten: oppgi han i koplinga (columns.text)",
            "en": "no column holds the text: name it in the mapping (columns.text)",
        },
    ),
}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_a_refusal_is_worded_in_the_officers_language(client, refusal, language):
    sent, words = REFUSALS[refusal]
    assert words[language] in page(client, language, **sent)


ROWS = "tekst;kanal;saksnr;avsenderkategori;x;y\nBenk;letter;2024-12;romvesen;abc;59.43\n"


@pytest.mark.parametrize(
    ("language", "case", "category", "coordinates"),
    [
        (
            "nb",
            "'2024-12' er ikke et saksnummer som 2024/1234 eller 2024/1234-5",
            "ukjent avsenderkategori 'romvesen'; bruk en av disse: state_regional",
            "koordinatene 'abc', '59.43' er ikke tall",
        ),
        (
            "nn",
            "'2024-12' er ikkje eit saksnummer som 2024/1234 eller 2024/1234-5",
            "ukjend avsendarkategori 'romvesen'; bruk ein av desse: state_regional",
            "koordinatane 'abc', '59.43' er ikkje tal",
        ),
        (
            "en",
            "'2024-12' is not a case number like 2024/1234 or 2024/1234-5",
            "unknown sender category 'romvesen'; use one of state_regional",
            "the coordinates 'abc', '59.43' are not numbers",
        ),
    ],
)
def test_row_problems_are_worded_in_the_officers_language(
    client, language, case, category, coordinates
):
    text = page(client, language, csv=ROWS, srid="4326")
    assert f"<td>case</td><td>{case}</td>" in text
    assert f"<td>sender_category</td><td>{category}" in text
    # The field column says "geometry" already: the message does not say it again.
    assert f"<td>geometry</td><td>{coordinates}</td>" in text


def test_the_command_line_keeps_the_english_sentence():
    # import_inputs prints str(): English, whatever language is active; the page words it.
    with translation.override("nb"), pytest.raises(MappingError) as caught:
        parse_mapping('[location]\nsrid = "abc"\n')
    assert str(caught.value) == "location.srid: give an EPSG code such as 25832"
    with translation.override("nn"):
        assert geo_message(caught.value) == "location.srid: oppgi ein EPSG-kode, til dømes 25832"
