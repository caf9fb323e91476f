from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "partnership.moderation"
    label = "moderation"
    verbose_name = "Moderation and comparative judgement"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.moderation import demo, policy, practice, selectors, sharing

        policy.register()
        registry.register_nav(registry.NavItem("Moderation", "moderation:index", "moderation", order=78))
        registry.register_home_panel(
            registry.HomePanel("moderation", "moderation/_home_moderation.html", selectors.home_moderation, order=27)
        )
        registry.register_demo(registry.DemoLoader("moderation", demo.demo_outcome, 60))
        registry.register_sharing_source(registry.SharingSource("moderation", sharing.school_exemplar_sharing, 40))
        registry.register_practice_source(
            registry.PracticeSource("moderation", practice.schools_moderation_practice, 50)
        )
