"""Password reset by e-mail, and the same link for a new account to set its first password."""

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

SUBJECT_TEMPLATE = "registration/password_reset_subject.txt"
EMAIL_TEMPLATE = "registration/password_reset_email.txt"


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for active accounts that never had a password.

    A coordinator creates accounts without a password (nobody but the user ever knows it);
    the user sets it through this link. The answer is the same whether or not the address
    belongs to an account: that is Django's view, which always redirects to "verstuurd".
    """

    def get_users(self, email):
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.email.casefold() == email.casefold())


def send_password_link(*, request, user: User) -> None:
    """Mail ``user`` the link to set a password (used when a coordinator creates an account)."""
    site = get_current_site(request)
    context = {
        "email": user.email,
        "domain": site.domain,
        "site_name": site.name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
    }
    PortalPasswordResetForm().send_mail(SUBJECT_TEMPLATE, EMAIL_TEMPLATE, context, None, user.email)
