from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """The one action log (C3, C4 and every capability that raises actions)."""

    name = "partnership.actions"
    label = "actions"

    def ready(self) -> None:
        from partnership.actions import policy, selectors
        from partnership.core import registry

        policy.register()
        registry.register_nav(registry.NavItem("Actions", "actions:mine", "actions", order=80))
        registry.register_home_panel(
            registry.HomePanel("actions", "actions/_home_actions.html", selectors.home_actions, order=30)
        )
