from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "partnership.moderation"
    label = "moderation"
    verbose_name = "Moderation and comparative judgement"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.moderation import demo, policy

        policy.register()
        registry.register_nav(registry.NavItem("Moderation", "moderation:index", "moderation", order=78))
        registry.register_demo(registry.DemoLoader("moderation", demo.demo_outcome, 60))
