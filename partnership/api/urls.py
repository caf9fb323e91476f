from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from partnership.api import actions, goodpractice, meetings, moderation, outcomes, plans, reviews, views

router = DefaultRouter()
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("schools", views.SchoolViewSet, basename="school")
router.register("people", views.PersonViewSet, basename="person")
router.register("networks", views.NetworkViewSet, basename="network")
router.register("actions", actions.ActionViewSet, basename="action")
router.register("plans", plans.PlanViewSet, basename="plan")
router.register("priorities", plans.PriorityViewSet, basename="priority")
router.register("objectives", plans.ObjectiveViewSet, basename="objective")
router.register("progress-updates", plans.ProgressUpdateViewSet, basename="progress-update")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("agenda-items", meetings.AgendaItemViewSet, basename="agenda-item")
router.register("outcomes", outcomes.OutcomeViewSet, basename="outcome")
router.register("review-frameworks", reviews.ReviewFrameworkViewSet, basename="review-framework")
router.register("self-evaluations", reviews.SelfEvaluationViewSet, basename="self-evaluation")
router.register("review-cycles", reviews.ReviewCycleViewSet, basename="review-cycle")
router.register("reviews", reviews.ReviewViewSet, basename="review")
router.register("review-findings", reviews.FindingViewSet, basename="review-finding")
router.register("review-judgements", reviews.AreaJudgementViewSet, basename="review-judgement")
router.register("review-reports", reviews.ReviewReportViewSet, basename="review-report")
router.register("areas-of-excellence", reviews.AreaOfExcellenceViewSet, basename="area-of-excellence")
router.register("moderation-sessions", moderation.ModerationSessionViewSet, basename="moderation-session")
router.register("moderation-samples", moderation.SampleViewSet, basename="moderation-sample")
router.register("moderation-judgements", moderation.ModeratorJudgementViewSet, basename="moderation-judgement")
router.register("moderation-exemplars", moderation.ExemplarViewSet, basename="moderation-exemplar")
router.register("cj-sessions", moderation.CJSessionViewSet, basename="cj-session")
router.register("cj-judgements", moderation.CJJudgementViewSet, basename="cj-judgement")
router.register("register-entries", goodpractice.RegisterEntryViewSet, basename="register-entry")
router.register("support-needs", goodpractice.SupportNeedViewSet, basename="support-need")
router.register("support-matches", goodpractice.SupportMatchViewSet, basename="support-match")
router.register("support-requests", goodpractice.SupportRequestViewSet, basename="support-request")
router.register("support-sessions", goodpractice.SupportSessionViewSet, basename="support-session")
router.register("support-ledger", goodpractice.SupportLedgerViewSet, basename="support-ledger")
router.register("buddy-pairs", goodpractice.BuddyPairViewSet, basename="buddy-pair")
router.register(r"schools/(?P<slug>[^/.]+)/pupils", outcomes.SchoolPupilViewSet, basename="school-pupil")

urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="v1")),
    re_path(r"^v1/(?P<rest>.*)$", views.not_found, name="api-not-found"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", views.docs, name="api-docs"),
]
