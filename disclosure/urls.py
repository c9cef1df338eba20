from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/<uuid:person_id>/", views.new, name="new"),
    path("recipients/", views.recipient_register, name="recipients"),
    path("recipients/<uuid:recipient_id>/active/", views.recipient_active, name="recipient-active"),
    path("<uuid:export_id>/", views.export, name="export"),
    path("<uuid:export_id>/texts/", views.save_texts, name="texts"),
    path("<uuid:export_id>/choose/", views.choose, name="choose"),
    path("<uuid:export_id>/mark/", views.mark, name="mark"),
    path("<uuid:export_id>/approve/", views.approve, name="approve"),
    path("<uuid:export_id>/release/", views.release, name="release"),
    path("<uuid:export_id>/files/<str:kind>/", views.download, name="download"),
]
