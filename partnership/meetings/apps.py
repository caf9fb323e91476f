from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "partnership.meetings"
    label = "meetings"
