"""Input's audit trail: simple-history with the themes of each version, one "created" version.

Apart from the model's fields and indexes (``inputs``): how a version is written is a speed
measure of its own (docs/benchmarks.md, X2), and the services reach it by name.
"""

from django.apps import apps
from simple_history.models import HistoricalRecords


class InputHistory(HistoricalRecords):
    """simple-history for Input, with the themes of each version read straight from the live
    input: the library first rebuilds the version as a model object, which reads the columns
    history leaves out (search vector, matcher tokens) back from the database only to find
    the link table, a round trip per version (two of a submission's ~40 queries, measured in
    docs/benchmarks.md, X2). The rows written are the same."""

    def create_historical_record_m2ms(self, history_instance, instance):
        # self.cls is Input (set when the history is attached to it): no import of the model.
        through = self.cls.themes.through
        versions = self.m2m_models[self.cls._meta.get_field("themes")]
        links = through.objects.filter(input_id=instance.pk).values_list("id", "theme_id")
        versions.objects.bulk_create(
            [
                versions(history=history_instance, id=pk, input_id=instance.pk, theme_id=theme)
                for pk, theme in links
            ]
        )

    def record_created(self, instance) -> None:
        """The "created" version of an input saved without one (skip_history_when_saving) and
        given its themes after: one version holding both, as an import records it."""
        self.post_save(instance, created=True)


# Kept by name: services record a new input's first version through it (record_created).
INPUT_HISTORY = InputHistory(
    excluded_fields=["search_vector", "match_tokens", "match_key"], m2m_fields=["themes"]
)


def input_themes_history():
    """simple-history's model of the themes each Input version had (``m2m_fields``)."""
    through = INPUT_HISTORY.cls.themes.through
    return apps.get_model("inputbank", f"Historical{through._meta.object_name}")
