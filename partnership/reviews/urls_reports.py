"""Addresses of the reports pages (gathered into the app's urls.py): findings, the Area of
Excellence, the report, the improvement workshop, the impact review, calibration and the ledger."""

from django.urls import URLPattern, path

from partnership.reviews import views_reports as v

urlpatterns: list[URLPattern] = [
    path("review/<int:pk>/findings/", v.findings_page, name="findings_page"),
    path("review/<int:pk>/findings/area/<int:area_pk>/", v.findings_judgement, name="findings_judgement"),
    path("review/<int:pk>/findings/new/", v.findings_add, name="findings_add"),
    path("review/<int:pk>/findings/<int:finding_pk>/edit/", v.findings_edit, name="findings_edit"),
    path("review/<int:pk>/findings/<int:finding_pk>/remove/", v.findings_remove, name="findings_remove"),
    path("review/<int:pk>/findings/agree/", v.findings_agree, name="findings_agree"),
    path("review/<int:pk>/excellence/", v.excellence_put_forward, name="excellence_put_forward"),
    path("review/<int:pk>/excellence/decide/", v.excellence_decide, name="excellence_decide"),
    path("review/<int:pk>/report/", v.report_detail, name="report_detail"),
    path("review/<int:pk>/report/edit/", v.report_edit, name="report_edit"),
    path("review/<int:pk>/report/response/", v.report_response, name="report_response"),
    path("review/<int:pk>/report/finalise/", v.report_finalise, name="report_finalise"),
    path("review/<int:pk>/report/sharing/", v.report_sharing, name="report_sharing"),
    path("review/<int:pk>/report.pdf", v.report_pdf, name="report_pdf"),
    path("review/<int:pk>/workshop/", v.workshop_page, name="workshop_page"),
    path("review/<int:pk>/workshop/<int:finding_pk>/action/", v.workshop_action, name="workshop_action"),
    path("review/<int:pk>/impact/", v.impact_page, name="impact_page"),
    path("review/<int:pk>/impact/<int:finding_pk>/", v.impact_record, name="impact_record"),
    path("review/<int:pk>/impact/complete/", v.impact_complete, name="impact_complete"),
    path("calibration/school/<slug:slug>/", v.calibration_school, name="calibration_school"),
    path("calibration/partnership/<slug:slug>/", v.calibration_partnership, name="calibration_partnership"),
    path("ledger/<slug:slug>/", v.ledger_partnership, name="ledger_partnership"),
    path("ledger/<slug:slug>/download.xlsx", v.ledger_export, name="ledger_export"),
]
