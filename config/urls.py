from django.urls import path

from config import health
from intake import views as intake_views

urlpatterns = [
    path("", intake_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
]
