from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config import health
from intake import views as intake_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", intake_views.favicon, name="favicon"),
    path("staff/", include("accounts.urls")),
    path("staff/reports/", include("cases.urls")),
    path("staff/audit/", include("audit.urls")),
    path("staff/exports/", include("disclosure.urls")),
]
# The public side, under a language prefix: /ug/report/, /en/receipt/ ...
urlpatterns += i18n_patterns(
    path("", intake_views.home, name="home"),
    path("", include("intake.urls")),
    prefix_default_language=True,
)

handler400 = "intake.errors.bad_request"
handler403 = "intake.errors.permission_denied"
handler404 = "intake.errors.not_found"
handler500 = "intake.errors.server_error"
