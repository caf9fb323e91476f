from django.apps import AppConfig


class HomeConfig(AppConfig):
    """Each person's starting page, made of the panels the other apps declare."""

    name = "partnership.home"
    label = "home"

    def ready(self) -> None:
        from partnership.core import registry

        registry.register_nav(registry.NavItem("Home", "home", "", order=0))
