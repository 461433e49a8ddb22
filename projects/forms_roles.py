from django import forms
from django.contrib.auth.models import User
from django.db.models import Q

from projects import roles
from projects.models import ActionLine, Programme, Project, RoleAssignment
from projects.services_roles import RoleScope

# The ministry's role spans all deals and is granted by the portal's superuser, not per deal.
DEAL_ROLE_CHOICES = [(name, label) for name, label in roles.ROLE_LABELS.items() if name != roles.MINISTRY]


class RoleGrantForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Gebruiker",
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name", "username"),
        error_messages={"invalid_choice": "Kies een bestaande, actieve gebruiker."},
    )
    role = forms.ChoiceField(label="Rol", choices=DEAL_ROLE_CHOICES)
    action_lines = forms.ModelMultipleChoiceField(
        label="Actielijnen (themalijnmanager)", queryset=ActionLine.objects.none(), required=False
    )
    programmes = forms.ModelMultipleChoiceField(
        label="Programma's (themalijnmanager)", queryset=Programme.objects.none(), required=False
    )
    projects = forms.ModelMultipleChoiceField(
        label="Projecten (penvoerder)", queryset=Project.objects.none(), required=False
    )
    note = forms.CharField(label="Toelichting", required=False, max_length=300)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        # A coordinator sees the people of their own deal and accounts without any role yet,
        # not the teams of other deals.
        in_deal = Q(role_assignments__deal=deal)
        without_role = ~Q(pk__in=RoleAssignment.objects.values("user"))
        self.fields["user"].queryset = self.fields["user"].queryset.filter(in_deal | without_role).distinct()
        self.fields["action_lines"].queryset = deal.action_lines.order_by("code")
        self.fields["programmes"].queryset = deal.programmes.order_by("code")
        self.fields["projects"].queryset = deal.projects.order_by("code")

    def scope(self) -> RoleScope:
        data = self.cleaned_data
        return RoleScope(list(data["action_lines"]), list(data["programmes"]), list(data["projects"]))
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
