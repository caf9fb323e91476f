from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each person's starting page, made of the panels the other apps declare."""

    name = "partnership.home"
    label = "home"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.home import selectors

        registry.register_nav(registry.NavItem("Home", "home", "", order=0))
        registry.register_home_panel(
            registry.HomePanel(
                "overview", "home/_partnership_overview.html", selectors.partnership_overview, column="left", order=5
            )
        )
        registry.register_home_panel(
            registry.HomePanel("school_work", "home/_school_work.html", selectors.school_work, column="left", order=15)
        )
