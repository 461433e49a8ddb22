"""User accounts in Beheer: a coordinator keeps the address book, never the keys.

Roles are granted per deal on the portal's role page (with a second coordinator for kassier
and controller), so in Beheer a coordinator (staff, not superuser) may only create an
account and edit the name, e-mail and active flag of ordinary users. Superuser and staff
flags, groups, permissions and passwords are for superusers; a new account gets no
password at all: its owner sets one through the e-mail link, so nobody else ever knows it.

E-mail of an existing account is for its owner (and superusers) only: whoever can change
the address can reset the password through "wachtwoord vergeten".
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from projects.models import RoleAssignment
from projects.roles import COORDINATOR, deal_scope
from regiodeal.accounts import send_password_link

PASSWORD_HELP = "Het wachtwoord kiest de gebruiker zelf, via 'Wachtwoord wijzigen' of 'Wachtwoord vergeten'."  # noqa: S105  (a help text, not a password)
LOCKED_FOR_STAFF = ["username", "is_staff", "is_superuser", "groups", "user_permissions", "last_login", "date_joined"]


class UserInviteForm(forms.ModelForm):
    """A new account without a password; the mail it gets sets one."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = "Hierheen gaat de link waarmee de gebruiker een wachtwoord kiest."

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def _is_other_privileged(request, obj) -> bool:
    return obj is not None and obj.pk != request.user.pk and (obj.is_staff or obj.is_superuser)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    invite_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email")}),)

    def get_queryset(self, request):
        # A coordinator manages the people of their own deals, and accounts without any role
        # yet (just invited); not the teams of other deals.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        own_deals = deal_scope(request.user, COORDINATOR, field="role_assignments__deal")
        without_role = ~Q(pk__in=RoleAssignment.objects.values("user"))
        return queryset.filter(own_deals | without_role).distinct()

    def has_change_permission(self, request, obj=None):
        # Another coordinator or a superuser is not a coordinator's to edit (nor to deactivate).
        if not request.user.is_superuser and _is_other_privileged(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: bookings and decisions keep their author.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return self.invite_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = UserInviteForm
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and not request.user.is_superuser and "password" in form.base_fields:
            form.base_fields["password"].help_text = PASSWORD_HELP
        return form

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None:
            return super().get_readonly_fields(request, obj)
        locked = [*LOCKED_FOR_STAFF]
        if obj.pk != request.user.pk:
            locked.append("email")
        return locked

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Alleen de gebruiker zelf wijzigt het eigen wachtwoord.")
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and not obj.has_usable_password() and obj.email:
            send_password_link(request=request, user=obj)
            messages.info(request, f"{obj.email} krijgt een e-mail met een link om een wachtwoord te kiezen.")


@admin.register(Group)
class SuperuserOnlyGroupAdmin(GroupAdmin):
    """Groups carry Beheer's model rights; only a superuser changes them."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
