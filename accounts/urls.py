from django.urls import path
from django.views.i18n import JavaScriptCatalog

from . import passkeys, people_views, views

app_name = "staff"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("verify/", views.verify_view, name="verify"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("logout/", views.logout_view, name="logout"),
    path("people/", people_views.people, name="people"),
    path("people/<int:pk>/role/", people_views.change_role, name="change-role"),
    path("people/<int:pk>/deactivate/", people_views.deactivate, name="deactivate"),
    path("people/<int:pk>/reset/", people_views.reset_password, name="reset-password"),
    path("people/proposals/<uuid:proposal_id>/approve/", people_views.approve, name="approve"),
    path(
        "people/proposals/<uuid:proposal_id>/recovery/",
        people_views.approve_with_shares,
        name="approve-with-shares",
    ),
    path("people/proposals/<uuid:proposal_id>/decline/", people_views.decline, name="decline"),
    path("security/", views.security, name="security"),
    path("security/language/", views.set_language, name="language"),
    path("password/", views.change_password, name="password"),
    path("passkeys/<int:pk>/remove/", views.remove_passkey, name="remove-passkey"),
    # The passkey ceremonies (JSON, for the plugin's scripts) and their messages.
    path(
        "passkeys/register/begin/", passkeys.RegisterBegin.as_view(), name="passkey-register-begin"
    ),
    path(
        "passkeys/register/complete/",
        passkeys.RegisterComplete.as_view(),
        name="passkey-register-complete",
    ),
    path("passkeys/sign-in/begin/", passkeys.SignInBegin.as_view(), name="passkey-sign-in-begin"),
    path(
        "passkeys/sign-in/complete/",
        passkeys.SignInComplete.as_view(),
        name="passkey-sign-in-complete",
    ),
    path("passkeys/step-up/begin/", passkeys.StepUpBegin.as_view(), name="passkey-step-up-begin"),
    path(
        "passkeys/step-up/complete/",
        passkeys.StepUpComplete.as_view(),
        name="passkey-step-up-complete",
    ),
    path(
        "passkeys/messages.js",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="passkey-messages",
    ),
]
