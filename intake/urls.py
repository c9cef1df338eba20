from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("receipt/", views.receipt, name="receipt"),
    path("receipt/noted/", views.receipt_noted, name="receipt_noted"),
]
