"""Translatable content fields (django-modeltranslation): name_nb, name_en, name_ar, ...

Theme names and process texts are content, not interface strings, so they live in the database
in every language the municipality fills in, falling back to bokmål.

The history models (django-simple-history) get the same translated fields: simple-history
copies every field of the tracked model, including the per-language columns.
"""

from modeltranslation.translator import TranslationOptions, register

from inputbank.models import Process, Theme


class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


class ProcessTranslation(TranslationOptions):
    fields = ("title", "description", "purpose")


register(Theme)(ThemeTranslation)
register(Theme.history.model)(ThemeTranslation)
register(Process)(ProcessTranslation)
register(Process.history.model)(ProcessTranslation)
