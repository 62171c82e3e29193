from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _public_context_changed(sender, **kwargs) -> None:
    from inputbank import cache

    cache.invalidate_after_commit()


class InputbankConfig(AppConfig):
    name = "inputbank"
    verbose_name = "Innspillsbank"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Stamps every log-in in the session, for the recent-log-in check (inputbank/reauth.py).
        from inputbank import reauth  # noqa: F401

        # Cached answers show processes and themes too (the map page lists the open processes
        # with their areas and the themes; lists and prior input carry their titles and
        # names). They are edited in the admin and by services alike, so the models' signals
        # are the one place that sees every change: the cache is refreshed once it commits.
        Process, Theme = self.get_model("Process"), self.get_model("Theme")
        for model in (Process, Theme):
            for signal in (post_save, post_delete):
                signal.connect(
                    _public_context_changed, sender=model, dispatch_uid=f"cache-{model.__name__}"
                )
