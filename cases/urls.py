from django.urls import path

from . import caselist_views, merge_views, name_search_views, statistics_views, views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("overview/", views.overview, name="overview"),
    path("find/", name_search_views.find_person, name="find-person"),
    path("statistics/", statistics_views.statistics_page, name="statistics"),
    path("statistics/csv/", statistics_views.statistics_csv, name="statistics-csv"),
    path("<uuid:report_id>/", views.report, name="report"),
    path("<uuid:report_id>/files/<uuid:file_id>/", views.download, name="download"),
    path("<uuid:report_id>/files/<uuid:file_id>/preview/", views.preview, name="preview"),
    path("<uuid:report_id>/assign/", views.assign, name="assign"),
    path("<uuid:report_id>/message/", views.message, name="message"),
    path("<uuid:report_id>/triage/", views.triage, name="triage"),
    path("persons/", caselist_views.persons, name="persons"),
    path("persons/<uuid:person_id>/", merge_views.person, name="person"),
    path("persons/<uuid:person_id>/status/", views.record_status, name="record-status"),
    path("persons/<uuid:person_id>/notes/", views.add_note, name="add-note"),
    path("persons/<uuid:person_id>/merge/", merge_views.merge, name="merge"),
    path(
        "persons/<uuid:person_id>/reports/<uuid:report_id>/unlink/",
        merge_views.unlink,
        name="unlink",
    ),
]
