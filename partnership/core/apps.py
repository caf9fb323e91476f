from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnership.core"
    label = "core"

    def ready(self) -> None:
        from partnership.core import policy, registry
        from partnership.core.actions import selectors

        policy.register()
        registry.register_nav(registry.NavItem("Actions", "actions:mine", "actions", order=80))
        registry.register_home_panel(
            registry.HomePanel("actions", "actions/_home_actions.html", selectors.home_actions, order=30)
        )
