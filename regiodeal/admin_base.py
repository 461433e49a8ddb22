"""Building blocks for Beheer (the Django admin) shared by the apps' admin modules."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "revert" needs the right to change the object.

    simple_history saves a POST to a history version's page after checking only the right
    to *view* the history, so a view-only user could write an old version back.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD") and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """View only, for every user (superusers included): no add, change or delete in Beheer.

    For records that change only through the portal's services (the ledger, tranches,
    verslagen): fixing them is a correction through the portal, never an edit here.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DealScopedAdminMixin:
    """Beheer per deal: a coordinator sees and edits only the records of the deals they
    coordinate; the choices in every form are limited the same way, so a forged id of
    another deal fails as an invalid choice. Superusers see every deal.

    ``deal_path`` is the lookup from the model to its Deal ("pk" for the Deal itself).
    """

    deal_path = "deal"

    def _scope(self, request, path: str):
        from projects.roles import COORDINATOR, deal_scope

        return deal_scope(request.user, COORDINATOR, field=path)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self._scope(request, self.deal_path)).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._limit(field, db_field.related_model, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._limit(field, db_field.related_model, request)

    def _limit(self, field, related_model, request):
        if field is None or request.user.is_superuser:
            return field
        from django.contrib.auth import get_user_model

        from projects.models import Deal

        if related_model is Deal:
            field.queryset = field.queryset.filter(self._scope(request, "pk"))
        elif related_model is get_user_model():
            field.queryset = field.queryset.filter(self._scope(request, "role_assignments__deal")).distinct()
        elif any(f.name == "deal" for f in related_model._meta.get_fields()):
            field.queryset = field.queryset.filter(self._scope(request, "deal"))
        return field
