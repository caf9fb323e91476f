from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "partnership.reviews"
    label = "reviews"
    verbose_name = "Self-evaluation and peer review"

    def ready(self) -> None:
        from partnership.core import registry
        from partnership.reviews import demo, policy, practice, selectors, sharing

        policy.register()
        registry.register_nav(registry.NavItem("Reviews", "reviews:index", "reviews", order=75))
        registry.register_home_panel(
            registry.HomePanel("reviews", "reviews/_home_reviews.html", selectors.home_reviews, order=25)
        )
        registry.register_demo(registry.DemoLoader("reviews", demo.demo_outcome, 50))
        registry.register_sharing_source(registry.SharingSource("reviews", sharing.school_review_sharing, 30))
        registry.register_practice_source(registry.PracticeSource("reviews", practice.schools_review_practice, 40))
