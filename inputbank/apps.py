from django.apps import AppConfig


class InputbankConfig(AppConfig):
    name = "inputbank"
    verbose_name = "Innspillsbank"
    default_auto_field = "django.db.models.BigAutoField"
