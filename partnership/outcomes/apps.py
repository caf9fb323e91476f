from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "partnership.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.outcomes import demo, policy

        policy.register()
        registry.register_nav(registry.NavItem("Outcomes", "outcomes:index", "outcomes", order=70))
        registry.register_demo(
            registry.DemoLoader(
                "outcomes",
                lambda password: registry.DemoOutcome(f"{demo.load_outcomes_demo()} schools given pupils and results"),
                40,
            )
        )
