"""Messages from ``geo`` that people read, kept translatable although ``geo`` knows no Django.

An error raised here carries an English template with ``%(name)s`` placeholders and the values
apart, so that ``inputbank.geomessages.geo_message`` can show it in the active language
(``gettext(template) % values``) while ``str()`` stays the English sentence (logs, the command
line, the tests that compare English). Templates are marked with ``gettext_noop``, the keyword
Django's ``makemessages`` extracts, so they land in ``inputbank/locale``.

``where`` names what was checked ("geometry", "bbox", "feature 2") and leads the English
sentence ("geometry: the geometry is empty"); it is kept apart so that a caller can leave it
out (the API names the field itself) or word it in the reader's language.
"""

from __future__ import annotations

from typing import Any


def gettext_noop(template: str) -> str:
    """Mark ``template`` for translation (``makemessages`` finds it) and return it unchanged."""
    return template


class GeoMessage(ValueError):
    """A refusal in plain words: ``template % values``, led by ``where: `` when given."""

    def __init__(self, template: str, /, *, where: str | None = None, **values: Any) -> None:
        self.template = template
        self.where = where
        self.values = values
        super().__init__(self.english())

    @classmethod
    def wrap(cls, other: GeoMessage) -> GeoMessage:
        """The same message as another kind of GeoMessage (a GeometryError as AreaFileError)."""
        return cls(other.template, where=other.where, **other.values)

    def text(self) -> str:
        """The English sentence without ``where``."""
        return self.template % self.values

    def english(self) -> str:
        return f"{self.where}: {self.text()}" if self.where else self.text()

    def __str__(self) -> str:
        return self.english()

    def __reduce__(self):
        return (_rebuild, (type(self), self.template, self.where, self.values))


def _rebuild(cls: type[GeoMessage], template: str, where: str | None, values: dict) -> GeoMessage:
    return cls(template, where=where, **values)
