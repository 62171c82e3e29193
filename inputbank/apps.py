from django.apps import AppConfig


class InputbankConfig(AppConfig):
    name = "inputbank"
    verbose_name = "Innspillsbank"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Stamps every log-in in the session, for the recent-log-in check (inputbank/reauth.py).
        from inputbank import reauth  # noqa: F401
