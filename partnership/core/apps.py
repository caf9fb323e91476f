from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnership.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import Q

        from partnership.core import access

        # The counters behind cached results (`memo.py`) are the platform's own bookkeeping.
        access.register(
            "core.generation",
            name="Cache generations",
            scope=lambda p: Q(pk__in=[]),
            view="nobody (internal counters that say when cached figures are out of date)",
            act="moved on by the services that change the data behind them",
        )
