"""Loads the project structure of the demo deal from fixtures/cleantech.json (idempotent)."""

from datetime import date, datetime

from django.contrib.auth.models import User
from django.utils import timezone

from projects import roles
from projects.models import (
    ActionLine,
    Deal,
    GovernanceMember,
    Organisation,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from projects.services_roles import assign_without_review

DEMO_PASSWORD = "regiodeal-demo"  # noqa: S105  (demo data only, see README)

DEMO_USERS = {
    # username: (first name, last name, role)
    "coordinator": ("Carla", "Coördinator", roles.COORDINATOR),
    "themalijnmanager": ("Nanke", "Kraehe", roles.THEME_MANAGER),
    "kassier": ("Kees", "Kassier", roles.KASSIER),
    "controller": ("Connie", "Controller", roles.CONTROLLER),
    "stuurgroep": ("Ron", "König", roles.STEERING),
    "penvoerder": ("Paul", "Penvoerder", roles.LEAD),
}
DEMO_LEAD_PROJECT = "1310"  # the demo penvoerder's project
DEMO_THEME_ACTION_LINE = "1"  # Cleantech Werkt: the demo themalijnmanager writes here only


def load_users(team: dict[str, tuple] | None = None) -> dict[str, User]:
    users = {}
    for username, (first, last, _role) in (team or DEMO_USERS).items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[username] = user
    return users


def assign_demo_roles(deal: Deal, users: dict[str, User], team: dict[str, tuple]) -> None:
    """Each demo user holds their one role in this deal only (roles belong to a deal)."""
    for username, (_first, _last, role) in team.items():
        assign_without_review(deal=deal, user=users[username], role=role)


# The second demo deal has a team of its own, so that the portal shows (and the tests prove)
# that nobody of one deal reads or writes the other.
SECOND_DEAL_USERS = {
    f"{username}_b": (first, f"{last} (B)", role) for username, (first, last, role) in DEMO_USERS.items()
}


MINISTRY_USER = {"ministerie": ("Mira", "Ministerie", roles.MINISTRY)}


def load_ministry_user() -> User:
    """A reader for every deal (the ministry); shows the deal switcher with two deals."""
    user = load_users(MINISTRY_USER)["ministerie"]
    assign_without_review(deal=None, user=user, role=roles.MINISTRY)
    return user


def load_second_team(deal: Deal) -> dict[str, User]:
    users = load_users(SECOND_DEAL_USERS)
    assign_demo_roles(deal, users, SECOND_DEAL_USERS)
    lead_project = deal.projects.order_by("code").first()
    if lead_project is not None:
        lead_project.lead_users.add(users["penvoerder_b"])
    first_line = deal.action_lines.order_by("code").first()
    if first_line is not None:
        first_line.theme_managers.add(users["themalijnmanager_b"])
    return users


def load_structure(data: dict, users: dict[str, User]) -> Deal:
    d = data["deal"]
    kassier, _ = Organisation.objects.get_or_create(
        name=d["kassier"], defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    deal, _ = Deal.objects.update_or_create(
        code=d["code"],
        defaults={
            "name": d["name"],
            "region": d["region"],
            "start": d["start"],
            "end": d["end"],
            "financial_closing_date": d["financial_closing_date"],
            "default_reference_date": d["default_reference_date"],
            "goal": d["goal"],
            "challenge": d["challenge"],
            "kassier_organisation": kassier,
        },
    )
    action_lines = {}
    for a in data["action_lines"]:
        action_lines[a["code"]], _ = ActionLine.objects.update_or_create(
            deal=deal,
            code=a["code"],
            defaults={"name": a["name"], "main_goal": a["main_goal"], "description": a["description"]},
        )
    action_lines[DEMO_THEME_ACTION_LINE].theme_managers.add(users["themalijnmanager"])
    assign_demo_roles(deal, users, DEMO_USERS)
    programmes = {}
    for p in data["programmes"]:
        programmes[p["code"]], _ = Programme.objects.update_or_create(
            deal=deal,
            code=p["code"],
            defaults={
                "name": p["name"],
                "action_line": action_lines[p["action_line"]],
                "goal": p["goal"],
                "description": p["description"],
            },
        )
    for p in data["projects"]:
        lead = None
        if p["lead_organisation"]:
            lead, _ = Organisation.objects.get_or_create(name=p["lead_organisation"])
        project, _ = Project.objects.update_or_create(
            deal=deal,
            code=p["code"],
            defaults={
                "name": p["name"],
                "programme": programmes[p["programme"]],
                "start": p["start"],
                "end": p["end"],
                "planning_text": p["planning_text"],
                "lead_organisation": lead,
                "co_financed_by": p["co_financed_by"],
                "goals": "\n".join(p["goals"]),
                "theme_manager": users["themalijnmanager"] if p["programme"].startswith("1") else None,
            },
        )
        if p["code"] == DEMO_LEAD_PROJECT:
            project.lead_users.add(users["penvoerder"])
    for g in data["governance"]:
        GovernanceMember.objects.update_or_create(
            deal=deal,
            body=g["body"],
            name=g["name"],
            defaults={"organisation": g["organisation"], "role": g["role"], "order": g["order"]},
        )
    return deal


# Reporting periods of the demo: 2022-1 is the seed report (ijkdatum 1 July 2022), approved;
# 2022-2 is open, so the themalijnmanager has something to work on.
DEMO_PERIODS = [
    # name, start, end (exclusive), ijkdatum, deadline
    ("2022-1", date(2022, 1, 1), date(2022, 7, 1), date(2022, 7, 1), date(2022, 9, 1)),
    ("2022-2", date(2022, 7, 1), date(2023, 1, 1), date(2023, 1, 1), date(2023, 3, 1)),
]
DEMO_SUBMITTED = datetime(2022, 8, 15, 12, 0)
DEMO_APPROVED = datetime(2022, 9, 15, 12, 0)
NO_PROGRESS_TEXT = "Geen voortgangstekst opgenomen in de voortgangsrapportage van juli 2022."


def status_from_progress(text: str) -> str:
    """The seed has no status field; read it from the progress text."""
    lower = text.lower()
    if "is gereed" in lower:
        return ProgressReport.ProjectStatus.FINISHED
    if "vertraging" in lower:
        return ProgressReport.ProjectStatus.SMALL_DELAY
    return ProgressReport.ProjectStatus.ON_SCHEDULE


def load_progress(deal: Deal, data: dict, users: dict[str, User]) -> None:
    """Periods 2022-1 and 2022-2, and an approved 2022-1 verslag per project from the seed texts (idempotent)."""
    periods = {}
    for name, start, end, reference_date, deadline in DEMO_PERIODS:
        periods[name], _ = ReportingPeriod.objects.update_or_create(
            deal=deal,
            name=name,
            defaults={"start": start, "end": end, "reference_date": reference_date, "deadline": deadline},
        )
    period = periods["2022-1"]
    projects = {p.code: p for p in deal.projects.all()}
    done = set(ProgressReport.objects.filter(period=period).values_list("project__code", flat=True))
    coordinator = users["coordinator"]
    for p in data["projects"]:
        if p["code"] in done:
            continue
        project = projects[p["code"]]
        writer = users["themalijnmanager"] if project.theme_manager_id else coordinator
        progress = p["progress"] or NO_PROGRESS_TEXT
        report = ProgressReport(
            project=project,
            period=period,
            state=ProgressReport.State.APPROVED,
            status=status_from_progress(progress),
            progress=progress,
            results="\n".join(p["results"] or []),
            lessons="\n".join(p["lessons"] or []),
            governance="\n".join(p["governance"] or []),
            expected_end=project.end,
            submitted_at=timezone.make_aware(DEMO_SUBMITTED),
            submitted_by=writer,
            decided_at=timezone.make_aware(DEMO_APPROVED),
            decided_by=coordinator,
        )
        report.full_clean()
        report._history_user = coordinator
        report.save()
