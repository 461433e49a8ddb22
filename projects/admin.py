import datetime

from django import forms
from django.contrib import admin
from django.db.models import Q

from projects import admin_users  # noqa: F401  (registers the user and group admin)
from projects.models import (
    ActionLine,
    Deal,
    GovernanceMember,
    Organisation,
    Programme,
    ProgrammeLine,
    ProgrammeLinePeriod,
    ProgressReport,
    Project,
    ReminderLog,
    ReportingPeriod,
)
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin, ReadOnlyAdminMixin


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The address book is shared between deals; a coordinator changes or deletes an organisation
    only while it plays no part (penvoerder, partner, financier, kassier) in another deal."""

    list_display = ["name", "kind", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def _in_other_deals(self, request, organisation: Organisation) -> bool:
        from projects.roles import COORDINATOR, deal_scope

        linked = Deal.objects.filter(
            Q(pk__in=organisation.led_projects.values("deal"))
            | Q(pk__in=organisation.partner_projects.values("deal"))
            | Q(pk__in=organisation.funder_set.values("deal"))
            | Q(pk__in=organisation.deals_as_kassier.values("pk"))
        )
        return linked.exclude(deal_scope(request.user, COORDINATOR, field="pk")).exists()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or request.user.is_superuser or not self._in_other_deals(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or request.user.is_superuser or not self._in_other_deals(request, obj))


class GovernanceInline(DealScopedAdminMixin, admin.TabularInline):
    model = GovernanceMember
    extra = 0


@admin.register(Deal)
class DealAdmin(DealScopedAdminMixin, HistoryAdmin):
    deal_path = "pk"

    def has_add_permission(self, request):
        # A new deal (and its first coordinator: manage.py assign_role) is the portal owner's call.
        return request.user.is_superuser

    list_display = ["code", "name", "region", "start", "end", "financial_closing_date", "default_reference_date"]
    search_fields = ["code", "name", "region"]
    inlines = [GovernanceInline]


@admin.register(ActionLine)
class ActionLineAdmin(DealScopedAdminMixin, HistoryAdmin):
    list_display = ["code", "name", "deal"]
    list_filter = ["deal"]
    search_fields = ["code", "name"]
    filter_horizontal = ["theme_managers"]


@admin.register(Programme)
class ProgrammeAdmin(DealScopedAdminMixin, HistoryAdmin):
    list_display = ["code", "name", "action_line", "deal"]
    list_filter = ["deal", "action_line"]
    search_fields = ["code", "name"]
    filter_horizontal = ["theme_managers"]


@admin.register(ProgrammeLine)
class ProgrammeLineAdmin(DealScopedAdminMixin, HistoryAdmin):
    list_display = ["code", "name", "deal"]
    list_filter = ["deal"]
    search_fields = ["code", "name"]


@admin.register(Project)
class ProjectAdmin(DealScopedAdminMixin, HistoryAdmin):
    list_display = ["code", "name", "programme", "lead_organisation", "start", "end", "status"]
    list_filter = ["deal", "programme__action_line", "programme", "programme_line", "status"]
    search_fields = ["code", "name", "lead_organisation__name"]
    list_select_related = ["programme", "lead_organisation"]
    autocomplete_fields = ["lead_organisation"]
    filter_horizontal = ["lead_users", "partners"]


@admin.register(GovernanceMember)
class GovernanceMemberAdmin(DealScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "body", "organisation", "role", "deal"]
    list_filter = ["deal", "body"]
    search_fields = ["name", "organisation"]


class ReportingPeriodForm(forms.ModelForm):
    """People type a period's last day ("t/m"); the model keeps the day after (STYLE.md)."""

    last_day = forms.DateField(label="t/m (laatste dag)", help_text="De laatste dag van de periode, bijv. 30-06-2022.")

    class Meta:
        model = ReportingPeriod
        fields = ["deal", "name", "start", "last_day", "reference_date", "deadline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["last_day"].initial = self.instance.last_day

    def _post_clean(self):
        # Before the model's clean(), which checks the deadline and the dates of a reported period.
        if self.cleaned_data.get("last_day"):
            self.instance.end = self.cleaned_data["last_day"] + datetime.timedelta(days=1)
        super()._post_clean()


class ProgrammeLinePeriodForm(ReportingPeriodForm):
    """A programme line's own window in a reporting period; its last day typed as on the period."""

    class Meta:
        model = ProgrammeLinePeriod
        fields = ["programme_line", "period", "start", "last_day", "reference_date"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(DealScopedAdminMixin, HistoryAdmin):
    form = ReportingPeriodForm
    list_display = ["name", "deal", "start", "last_day", "reference_date", "deadline"]
    list_filter = ["deal"]
    search_fields = ["name"]


@admin.register(ProgrammeLinePeriod)
class ProgrammeLinePeriodAdmin(DealScopedAdminMixin, HistoryAdmin):
    form = ProgrammeLinePeriodForm
    deal_path = "programme_line__deal"
    list_display = ["programme_line", "period", "start", "last_day", "reference_date"]
    list_filter = ["programme_line__deal", "programme_line"]


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Verslagen change only through the portal's services (state machine, history), never here."""


@admin.register(ProgressReport)
class ProgressReportAdmin(DealScopedAdminMixin, ReadOnlyAdmin):
    deal_path = "project__deal"
    list_display = ["project", "period", "revision", "state", "status", "submitted_at", "decided_at"]
    list_filter = ["period__deal", "period", "state", "status"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "period"]


@admin.register(ReminderLog)
class ReminderLogAdmin(DealScopedAdminMixin, ReadOnlyAdmin):
    deal_path = "period__deal"
    list_display = ["sent_at", "period", "project", "moment", "recipients"]
    list_filter = ["period", "moment"]
    list_select_related = ["project", "period"]
