from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "partnership.outcomes"
    label = "outcomes"
