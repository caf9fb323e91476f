from django.apps import AppConfig


class GoodPracticeConfig(AppConfig):
    name = "partnership.goodpractice"
    label = "goodpractice"
    verbose_name = "Good practice and support"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.goodpractice import demo, home, policy, sharing

        policy.register()
        registry.register_nav(registry.NavItem("Good practice", "goodpractice:index", "good-practice", order=79))
        registry.register_home_panel(
            registry.HomePanel("goodpractice", "goodpractice/_home_support.html", home.home_support, order=28)
        )
        registry.register_demo(registry.DemoLoader("goodpractice", demo.demo_outcome, 70))
        sharing.register()
