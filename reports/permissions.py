"""Who may read the voortgangsrapportage, and who publishes it and writes its texts.

Built on projects.permissions: the deal is fetched through readable_deals (404 for outsiders),
then the role decides (403 for a penvoerder, who reads only his own project).
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from projects.models import Deal
from projects.permissions import get_deal_for_user
from projects.roles import CONTROLLER, COORDINATOR, KASSIER, MINISTRY, STEERING, THEME_MANAGER, has_role

READERS = (COORDINATOR, STEERING, KASSIER, CONTROLLER, THEME_MANAGER, MINISTRY)


def can_read_reports(user: User, deal: Deal) -> bool:
    return has_role(user, deal, *READERS)


def can_edit_reports(user: User, deal: Deal) -> bool:
    """Publishing a version and writing voorwoord, samenvatting and lessen: the coördinator only."""
    return has_role(user, deal, COORDINATOR)


def get_report_deal_for_user(user: User, code: str, *, write: bool = False) -> Deal:
    deal = get_deal_for_user(user, code)
    if not can_read_reports(user, deal):
        raise PermissionDenied("De voortgangsrapportage is voor de stuurgroep, werkgroep, kassier en controllers.")
    if write and not can_edit_reports(user, deal):
        raise PermissionDenied("Alleen de coördinator publiceert de rapportage en schrijft de teksten.")
    return deal
