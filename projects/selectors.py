"""Reads of the project structure that span models."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Prefetch

from projects.models import ActionLine, Deal, Programme, Project
from projects.permissions import readable_projects, writable_projects
from projects.roles import CONTROLLER, COORDINATOR, KASSIER, LEAD, STEERING, THEME_MANAGER, has_role


@dataclass
class HomeSection:
    """One block of the start page: a title, a sentence and links for one role."""

    title: str
    text: str
    links: list[tuple[str, str]] = field(default_factory=list)


def deal_structure(*, user: User, deal: Deal) -> list[ActionLine]:
    """Actielijnen with their programmes and the projects this user may read, in 3 queries."""
    projects = readable_projects(user).filter(deal=deal).select_related("lead_organisation").order_by("code")
    programmes = Programme.objects.filter(deal=deal).prefetch_related(
        Prefetch("projects", queryset=projects, to_attr="visible_projects")
    )
    return list(
        ActionLine.objects.filter(deal=deal).prefetch_related(
            Prefetch("programmes", queryset=programmes.order_by("code"), to_attr="programme_list")
        )
    )


def home_sections_for_user(user: User) -> list[HomeSection]:
    """What the start page shows; later issues add links here, per role."""
    sections: list[HomeSection] = []
    if has_role(user, COORDINATOR):
        sections.append(
            HomeSection(
                "Coördinatie",
                "Richt deals, programma's, projecten, financiers en gebruikers in.",
                [("Beheer openen", "/beheer/")],
            )
        )
    if has_role(user, THEME_MANAGER, LEAD):
        own = writable_projects(user).select_related("deal").order_by("deal__code", "code")
        sections.append(
            HomeSection(
                "Mijn projecten",
                "Projecten waarvoor u voortgang, resultaten en metingen invoert.",
                [(str(p), f"/deals/{p.deal.code}/projecten/{p.code}/") for p in own],
            )
        )
    if has_role(user, KASSIER):
        sections.append(HomeSection("Kas", "Registreer tranches en volg wat nog uitgekeerd moet worden."))
    if has_role(user, CONTROLLER):
        sections.append(HomeSection("Controle", "Keur tranches goed of af die een ander heeft geregistreerd."))
    if has_role(user, STEERING):
        sections.append(HomeSection("Stuurgroep", "Lees de dashboards en de voortgangsrapportages."))
    if not sections:
        sections.append(
            HomeSection("Geen rol", "Uw account heeft nog geen rol. Vraag de coördinator om u toegang te geven.")
        )
    return sections


def projects_of_deal(deal: Deal):
    return Project.objects.filter(deal=deal).select_related("programme__action_line")
