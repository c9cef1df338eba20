from django.urls import path

from bench.baseline.views import plain_submit
from config.urls import handler400, handler403, handler404, handler500, urlpatterns

urlpatterns = [*urlpatterns, path("bench/plain/", plain_submit)]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
