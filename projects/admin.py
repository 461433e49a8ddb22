from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import ActionLine, Deal, GovernanceMember, Organisation, Programme, Project


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "email"]
    list_filter = ["kind"]
    search_fields = ["name"]


class GovernanceInline(admin.TabularInline):
    model = GovernanceMember
    extra = 0


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "region", "start", "end", "financial_closing_date", "default_reference_date"]
    search_fields = ["code", "name", "region"]
    inlines = [GovernanceInline]


@admin.register(ActionLine)
class ActionLineAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "deal"]
    list_filter = ["deal"]
    search_fields = ["code", "name"]
    filter_horizontal = ["theme_managers"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "action_line", "deal"]
    list_filter = ["deal", "action_line"]
    search_fields = ["code", "name"]
    filter_horizontal = ["theme_managers"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "programme", "lead_organisation", "start", "end", "status"]
    list_filter = ["deal", "programme__action_line", "programme", "status"]
    search_fields = ["code", "name", "lead_organisation__name"]
    list_select_related = ["programme", "lead_organisation"]
    autocomplete_fields = ["lead_organisation"]
    filter_horizontal = ["lead_users", "partners"]


@admin.register(GovernanceMember)
class GovernanceMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "body", "organisation", "role", "deal"]
    list_filter = ["deal", "body"]
    search_fields = ["name", "organisation"]
