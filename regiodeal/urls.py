from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from projects import views as project_views
from regiodeal import accounts

admin.site.site_header = "Regio Deal portaal – beheer"
admin.site.site_title = "Regio Deal beheer"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", project_views.home, name="home"),
    path("inloggen/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Forgotten password: the same answer whether or not the address is known.
    path(
        "wachtwoord/vergeten/",
        auth_views.PasswordResetView.as_view(
            form_class=accounts.PortalPasswordResetForm,
            subject_template_name=accounts.SUBJECT_TEMPLATE,
            email_template_name=accounts.EMAIL_TEMPLATE,
        ),
        name="password_reset",
    ),
    path("wachtwoord/vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "wachtwoord/nieuw/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("wachtwoord/nieuw/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("beheer/", admin.site.urls),
    path("", include("projects.urls")),
    path("financien/", include("finance.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("rapportage/", include("reports.urls")),
]
