from django.apps import AppConfig


class GoodPracticeConfig(AppConfig):
    name = "partnership.goodpractice"
    label = "goodpractice"
    verbose_name = "Good practice and support"

    def ready(self) -> None:
        from partnership.goodpractice import policy

        policy.register()
