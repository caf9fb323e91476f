from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "partnership.directory"
    label = "directory"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.directory import demo, policy, selectors

        policy.register()
        for order, (label, url_name, section) in enumerate(
            [
                ("Partnerships", "directory:partnership_list", "partnerships"),
                ("Schools", "directory:school_list", "schools"),
                ("People", "directory:person_list", "people"),
                ("Networks", "directory:network_list", "networks"),
            ]
        ):
            registry.register_nav(registry.NavItem(label, url_name, section, order=10 + order))
        registry.register_home_panel(
            registry.HomePanel("school", "directory/_home_school.html", selectors.home_school, column="left", order=10)
        )
        registry.register_home_panel(
            registry.HomePanel(
                "partnerships",
                "directory/_home_partnerships.html",
                selectors.home_partnerships,
                column="left",
                order=20,
            )
        )
        registry.register_home_panel(
            registry.HomePanel("networks", "directory/_home_networks.html", selectors.home_networks, order=10)
        )
        registry.register_demo(registry.DemoLoader("directory", demo.demo_outcome, order=10))
