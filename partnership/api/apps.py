from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partnership.api"
    label = "api"
