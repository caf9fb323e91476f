from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "partnership.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.outcomes import demo, policy

        policy.register()
        registry.register_nav(registry.NavItem("Outcomes", "outcomes:index", "outcomes", order=70))
        registry.register_demo(registry.DemoLoader("outcomes", demo.demo_outcome, 40))
