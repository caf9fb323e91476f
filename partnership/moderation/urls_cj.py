"""Comparative-judgement session pages: set-up, judging, results and exports."""

from django.urls import URLPattern, path

from partnership.moderation import views_cj as v

urlpatterns: list[URLPattern] = [
    path("cj/new/<slug:slug>/", v.cj_create, name="cj_create"),
    path("cj/<int:pk>/", v.cj_detail, name="cj_detail"),
    path("cj/<int:pk>/scripts/", v.cj_scripts_add, name="cj_scripts_add"),
    path("cj/<int:pk>/scripts/<int:script_pk>/remove/", v.cj_script_remove, name="cj_script_remove"),
    path("cj/<int:pk>/scripts/<int:script_pk>/boundary/", v.cj_script_boundary, name="cj_script_boundary"),
    path("cj/<int:pk>/anchors/<int:earlier_pk>/", v.cj_anchors, name="cj_anchors"),
    path("cj/<int:pk>/judges/", v.cj_judge_invite, name="cj_judge_invite"),
    path("cj/<int:pk>/judges/<int:judge_pk>/remove/", v.cj_judge_remove, name="cj_judge_remove"),
    path("cj/<int:pk>/open/", v.cj_open, name="cj_open"),
    path("cj/<int:pk>/close/", v.cj_close, name="cj_close"),
    path("cj/<int:pk>/judge/", v.cj_judging, name="cj_judging"),
    path("cj/<int:pk>/judge/pause/", v.cj_pause, name="cj_pause"),
    path("cj/<int:pk>/judge/resume/", v.cj_resume, name="cj_resume"),
    path("cj/<int:pk>/results/", v.cj_results_page, name="cj_results"),
    path("cj/<int:pk>/results.xlsx", v.cj_export_xlsx, name="cj_export_xlsx"),
    path("cj/<int:pk>/results.pdf", v.cj_export_pdf, name="cj_export_pdf"),
    path("cj/<int:pk>/judgements.csv", v.cj_export_csv, name="cj_export_csv"),
]
