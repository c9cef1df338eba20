from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:report_id>/", views.report, name="report"),
    path("<uuid:report_id>/files/<uuid:file_id>/", views.download, name="download"),
    path("<uuid:report_id>/assign/", views.assign, name="assign"),
    path("<uuid:report_id>/message/", views.message, name="message"),
]
