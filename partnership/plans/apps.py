from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "partnership.plans"
    label = "plans"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.plans import demo, policy

        policy.register()
        registry.register_nav(registry.NavItem("Plans", "plans:index", "plans", order=60))
        registry.register_demo(registry.DemoLoader("plans", demo.demo_outcome, 20))
