from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "partnership.meetings"
    label = "meetings"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.meetings import demo, policy, selectors

        policy.register()
        registry.register_nav(registry.NavItem("Meetings", "meetings:index", "meetings", order=50))
        registry.register_network_section(
            registry.NetworkSection("meetings", "meetings/_network_meetings.html", selectors.network_page_section)
        )
        registry.register_home_panel(
            registry.HomePanel("meetings", "meetings/_home_meetings.html", selectors.home_meetings, order=20)
        )
        registry.register_demo(registry.DemoLoader("meetings", demo.demo_outcome, 30))
