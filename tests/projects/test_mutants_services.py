"""Kills the mutants of projects/services.py that the suite let live (docs/mutation-testing.md)."""

from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from projects import roles
from projects.models import ProgressReport, Project, ReminderLog, ReportingPeriod
from projects.services import (
    PlanningBaseline,
    StaleReportError,
    _lock,
    last_approved_report,
    planning_baseline,
    reminder_recipients,
    reminders_send,
    report_approve,
    report_correct,
    report_return,
    report_start,
    report_submit,
    report_update,
)
from tests.conftest import make_user
from tests.projects.progress_helpers import period, started

pytestmark = pytest.mark.django_db


def at_half_past_nine_on_the_deadline(deal, report) -> str:
    # Every history entry of the verslag gets the same moment; the newest entry still comes first (by id).
    deadline = period(deal).deadline
    report.history.update(history_date=timezone.make_aware(datetime.combine(deadline, time(9, 30))))
    return f"{deadline:%d-%m-%Y} 09:30"


def test_a_stale_save_hears_who_changed_the_verslag_and_when(deal, theme_manager, coordinator):
    report = started(deal, "1110", theme_manager)
    seen_by_both = report.lock_version
    report_update(report=report, user=coordinator, data={"risks": "Eerste"}, lock_version=seen_by_both)
    moment = at_half_past_nine_on_the_deadline(deal, report)
    with pytest.raises(StaleReportError) as caught:
        report_update(report=report, user=theme_manager, data={"risks": "Tweede"}, lock_version=seen_by_both)
    assert str(caught.value) == f"Dit verslag is intussen door Carla Coördinator om {moment} gewijzigd."


def test_a_stale_verslag_names_a_user_without_a_full_name_by_username(deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    moment = at_half_past_nine_on_the_deadline(deal, report)
    report.history.update(history_user=make_user("zonder_naam"))
    assert str(StaleReportError(report)) == f"Dit verslag is intussen door zonder_naam om {moment} gewijzigd."


def test_a_stale_verslag_without_a_known_author_or_history_says_only_what_it_knows(deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    moment = at_half_past_nine_on_the_deadline(deal, report)
    report.history.update(history_user=None)  # e.g. a change made by a command, outside a request
    assert str(StaleReportError(report)) == f"Dit verslag is intussen om {moment} gewijzigd."
    report.history.all().delete()
    assert str(StaleReportError(report)) == "Dit verslag is intussen gewijzigd."


def test_a_stale_verslag_reads_its_last_change_and_author_in_one_query(deal, theme_manager, django_assert_num_queries):
    report = started(deal, "1110", theme_manager)
    with django_assert_num_queries(1):
        assert str(StaleReportError(report)).startswith("Dit verslag is intussen door Nanke Kraehe om ")


def test_a_themalijnmanager_of_another_programme_cannot_correct_a_verslag_and_hears_why(deal, other_theme_manager):
    approved = ProgressReport.objects.get(project__deal=deal, project__code="1110", period__name="2022-1")
    with pytest.raises(PermissionDenied) as caught:
        report_correct(report=approved, user=other_theme_manager)
    assert str(caught.value) == "Van dit verslag kan geen nieuwe versie worden gemaakt."


# Reminders ---------------------------------------------------------------------------------
# Demo period 2022-2 runs 1 juli 2022 up to 1 januari 2023 (so t/m 31 december 2022), ijkdatum
# 1 januari 2023, deadline 1 maart 2023. Only the themalijnmanager of actielijn Cleantech Werkt
# (Nanke Kraehe) and the penvoerder of 1310 (Paul Penvoerder) receive reminders in the demo.


@pytest.fixture
def reminder_settings(settings):
    settings.REMINDER_DAYS_BEFORE = 7
    settings.REMINDER_DAYS_AFTER = 3
    settings.SITE_URL = "https://portaal.example.org"


def mails_of(mailoutbox, code):
    return [m for m in mailoutbox if f"van project {code} " in m.subject]


def test_the_reminder_before_the_deadline_says_what_is_due_by_when_and_where(deal, reminder_settings, mailoutbox):
    result = reminders_send(today=period(deal).deadline - timedelta(days=7))
    (mail,) = mails_of(mailoutbox, "1110")
    assert mail.subject == "Herinnering: verslag 2022-2 van project 1110 uiterlijk 1 maart 2023 indienen"
    assert mail.to == ["themalijnmanager@example.org"]
    assert mail.body == (
        "Beste Nanke Kraehe,\n"
        "\n"
        "Het voortgangsverslag over periode 2022-2 van project 1110 Technicampus Experience Centre moet uiterlijk "
        "1 maart 2023 zijn ingediend.\n"
        "Het verslag is nog niet gestart.\n"
        "\n"
        "U kunt het verslag bijwerken en indienen via de projectpagina:\n"
        "https://portaal.example.org/deals/cleantech/projecten/1110/#verslagen\n"
        "\n"
        "De periode loopt van 1 juli 2022 tot en met 31 december 2022; de cijfers gelden per ijkdatum "
        "1 januari 2023.\n"
        "\n"
        "Met vriendelijke groet,\n"
        "De coördinatie van Cleantech Regio Deal\n"
        "\n"
        "Dit is een automatisch bericht van het Regio Deal portaal."
    )
    # One mail and one log row per project of Cleantech Werkt (1110-1150, 1210-1220, 1310-1340).
    cleantech_werkt = ["1110", "1120", "1130", "1140", "1150", "1210", "1220", "1310", "1320", "1330", "1340"]
    assert [(log.project.code, log.moment) for log in result.sent] == [(code, "voor") for code in cleantech_werkt]
    assert result.sent[7].recipients == "penvoerder@example.org, themalijnmanager@example.org"
    # Nobody receives the reminders of Groene Groei; 2110 (ended 30 juni 2022) was reported finished in 2022-1.
    groene_groei = ["2120", "2130", "2140", "2150", "2160", "2170", "2180"] + ["2210", "2220"]
    groene_groei += ["2310", "2320", "2330", "2340", "2350"]
    assert result.without_recipients == [(period(deal), Project.objects.get(deal=deal, code=c)) for c in groene_groei]


def test_a_concept_verslag_is_named_in_the_reminder_to_everyone_responsible(deal, lead, reminder_settings, mailoutbox):
    started(deal, "1310", lead)
    reminders_send(today=period(deal).deadline)
    (mail,) = mails_of(mailoutbox, "1310")
    assert mail.to == ["penvoerder@example.org", "themalijnmanager@example.org"]
    assert mail.body.startswith("Beste Paul Penvoerder, Nanke Kraehe,\n\n")
    assert "\nHet verslag staat klaar als concept maar is nog niet ingediend.\n\n" in mail.body


def test_the_late_notice_of_a_returned_verslag_gives_the_reason(
    deal, theme_manager, coordinator, reminder_settings, mailoutbox
):
    report = report_submit(report=started(deal, "1110", theme_manager), user=theme_manager)
    report_return(report=report, user=coordinator, reason="Risico's ontbreken.")
    reminders_send(today=period(deal).deadline + timedelta(days=3))
    (mail,) = mails_of(mailoutbox, "1110")
    assert mail.subject == "Te laat: verslag 2022-2 van project 1110 is nog niet ingediend"
    assert mail.body.startswith(
        "Beste Nanke Kraehe,\n"
        "\n"
        "Het voortgangsverslag over periode 2022-2 van project 1110 Technicampus Experience Centre had uiterlijk "
        "1 maart 2023 ingediend moeten zijn, maar is nog niet binnen.\n"
        "Het verslag is teruggestuurd door de coördinator, met als reden: Risico's ontbreken.\n"
        "\n"
    )


@pytest.mark.parametrize(
    "days_from_deadline, moments",
    [(-8, []), (-7, ["voor"]), (0, ["voor"]), (1, []), (2, []), (3, ["na"]), (9, ["na"]), (10, [])],
)
def test_a_reminder_goes_out_from_its_day_until_a_week_later_at_most(
    deal, reminder_settings, mailoutbox, days_from_deadline, moments
):
    # "voor": from 7 days before up to the deadline itself; "na": 3 days after it, caught up for 7 days.
    result = reminders_send(today=period(deal).deadline + timedelta(days=days_from_deadline))
    assert [log.moment for log in result.sent if log.project.code == "1110"] == moments
    assert len(mailoutbox) == 11 * len(moments)


def test_reminders_go_to_active_people_with_an_e_mail_address_greeted_by_name_or_username(
    deal, lead, reminder_settings, mailoutbox
):
    project_1310 = Project.objects.get(deal=deal, code="1310")
    without_name = make_user("zonder_naam", roles.THEME_MANAGER)
    inactive = make_user("inactief", roles.THEME_MANAGER)
    inactive.is_active = False
    inactive.save()
    without_mail = make_user("zonder_mail", roles.THEME_MANAGER)
    without_mail.email = ""
    without_mail.save()
    project_1310.programme.theme_managers.add(without_name, inactive, without_mail)
    assert reminder_recipients(project_1310) == [lead, User.objects.get(username="themalijnmanager"), without_name]
    reminders_send(today=period(deal).deadline)
    (mail,) = mails_of(mailoutbox, "1310")
    assert mail.to == ["penvoerder@example.org", "themalijnmanager@example.org", "zonder_naam@example.org"]
    assert mail.body.startswith("Beste Paul Penvoerder, Nanke Kraehe, zonder_naam,\n\n")


def test_the_dates_in_a_reminder_are_dutch_whatever_language_is_active(deal, reminder_settings, settings, mailoutbox):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        reminders_send(today=period(deal).deadline - timedelta(days=7))
    (mail,) = mails_of(mailoutbox, "1110")
    assert mail.subject == "Herinnering: verslag 2022-2 van project 1110 uiterlijk 1 maart 2023 indienen"
    assert "De periode loopt van 1 juli 2022 tot en met 31 december 2022; " in mail.body


def test_no_reminder_for_a_submitted_or_approved_verslag(
    deal, theme_manager, coordinator, reminder_settings, mailoutbox
):
    report_submit(report=started(deal, "1110", theme_manager), user=theme_manager)
    submitted = report_submit(report=started(deal, "1120", theme_manager), user=theme_manager)
    report_approve(report=submitted, user=coordinator)
    result = reminders_send(today=period(deal).deadline)
    still_due = ["1130", "1140", "1150", "1210", "1220", "1310", "1320", "1330", "1340"]
    assert [log.project.code for log in result.sent] == still_due


def test_a_period_with_nothing_due_today_does_not_stop_the_reminders_of_the_next(deal, reminder_settings, mailoutbox):
    # An interim period, ordered before 2022-2 (earlier start), whose deadline was yesterday: nothing due today.
    today = period(deal).deadline - timedelta(days=7)
    ReportingPeriod.objects.create(
        deal=deal,
        name="tussentijds",
        start=deal.start,
        end=period(deal).start,
        reference_date=period(deal).start,
        deadline=today - timedelta(days=1),
    )
    result = reminders_send(today=today)
    assert {(log.period.name, log.moment) for log in result.sent} == {("2022-2", "voor")}
    assert len(result.sent) == 11


def test_reminders_read_the_responsible_people_of_all_projects_at_once(
    deal, reminder_settings, mailoutbox, django_assert_num_queries
):
    # The periods, the projects, their programme's and actielijn's themalijnmanagers and their penvoerders
    # (3 prefetches), the open verslagen and the moments already mailed: 7 queries; then per mail the log row
    # inside a savepoint (3). Eleven projects of Cleantech Werkt get a mail; Groene Groei has nobody.
    today = period(deal).deadline - timedelta(days=7)
    with django_assert_num_queries(7 + 11 * 3):
        reminders_send(today=today)
    # The next day the same moment is due, but every mail is in the log: read once, nothing is tried again.
    with django_assert_num_queries(7):
        assert reminders_send(today=today + timedelta(days=1)).sent == []


def test_when_both_moments_fall_on_the_deadline_each_is_handled_on_its_own(
    deal, reminder_settings, settings, mailoutbox
):
    settings.REMINDER_DAYS_AFTER = 0  # the late notice goes out on the deadline day itself
    reminders_send(today=period(deal).deadline - timedelta(days=7))
    result = reminders_send(today=period(deal).deadline)
    cleantech_werkt = ["1110", "1120", "1130", "1140", "1150", "1210", "1220", "1310", "1320", "1330", "1340"]
    assert [(log.project.code, log.moment) for log in result.sent] == [(code, "na") for code in cleantech_werkt]
    # The 14 projects of Groene Groei that owe a verslag have nobody to mail, for either moment.
    assert len(result.without_recipients) == 14 * 2


def test_a_moment_a_parallel_run_already_logged_is_skipped_and_the_next_one_still_goes_out(
    deal, reminder_settings, settings, mailoutbox, monkeypatch
):
    settings.REMINDER_DAYS_AFTER = 0  # both moments are due on the deadline day
    create = ReminderLog.objects.create

    def parallel_run_first(**row):
        if (row["project"].code, row["moment"]) == ("1110", "voor"):
            create(**row)  # another run logged this moment after this run read the log
        return create(**row)

    monkeypatch.setattr(ReminderLog.objects, "create", parallel_run_first)
    result = reminders_send(today=period(deal).deadline)
    assert [log.moment for log in result.sent if log.project.code == "1110"] == ["na"]
    assert [m.subject for m in mails_of(mailoutbox, "1110")] == [
        "Te laat: verslag 2022-2 van project 1110 is nog niet ingediend"
    ]
    assert len(result.sent) == 11 * 2 - 1


# The verslag state machine -------------------------------------------------------------------


def test_who_may_not_start_or_move_a_verslag_hears_why(deal, theme_manager, coordinator, steering):
    with pytest.raises(PermissionDenied) as caught:
        started(deal, "1110", steering)
    assert str(caught.value) == "U mag voor dit project geen verslag opstellen."
    approved = ProgressReport.objects.get(project__deal=deal, project__code="1110", period__name="2022-1")
    with pytest.raises(PermissionDenied) as caught:
        report_update(report=approved, user=theme_manager, data={"progress": "later"}, lock_version=None)
    assert str(caught.value) == "Dit verslag kan niet (meer) worden gewijzigd."
    concept = started(deal, "1110", theme_manager)
    with pytest.raises(PermissionDenied) as caught:
        report_submit(report=concept, user=steering)
    assert str(caught.value) == "U mag dit verslag niet indienen."
    submitted = report_submit(report=concept, user=theme_manager)
    with pytest.raises(PermissionDenied) as caught:
        report_approve(report=submitted, user=theme_manager)
    assert str(caught.value) == "Alleen de coördinator keurt ingediende verslagen goed."
    with pytest.raises(PermissionDenied) as caught:
        report_return(report=submitted, user=theme_manager, reason="Nee")
    assert str(caught.value) == "Alleen de coördinator stuurt ingediende verslagen terug."


def test_a_verslag_is_for_a_period_of_the_projects_deal_and_one_per_period(deal, coordinator):
    project_1110 = Project.objects.get(deal=deal, code="1110")
    other_deals_period = ReportingPeriod.objects.exclude(deal=deal).first()
    with pytest.raises(ValidationError) as caught:
        report_start(project=project_1110, period=other_deals_period, user=coordinator)
    assert caught.value.messages == ["De periode hoort bij een andere deal dan het project."]
    with pytest.raises(ValidationError) as caught:
        report_start(project=project_1110, period=period(deal, "2022-1"), user=coordinator)
    assert caught.value.messages == ["Project 1110 heeft al een verslag voor periode 2022-1."]


def test_a_verslag_is_submitted_with_progress_and_a_reason_when_the_planning_moved(deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    report = report_update(report=report, user=theme_manager, data={"progress": "  "}, lock_version=1)
    with pytest.raises(ValidationError) as caught:
        report_submit(report=report, user=theme_manager)
    assert caught.value.message_dict == {"progress": ["Vul de voortgang in voordat u het verslag indient."]}
    later = report.expected_end + timedelta(days=90)
    data = {"progress": "Loopt.", "expected_end": later, "planning_change_reason": "  "}
    report = report_update(report=report, user=theme_manager, data=data, lock_version=2)
    with pytest.raises(ValidationError) as caught:
        report_submit(report=report, user=theme_manager)
    assert caught.value.message_dict == {
        "planning_change_reason": ["De verwachte afronding is verschoven: geef de reden op voordat u indient."]
    }


def test_every_step_of_a_verslag_records_who_and_when(deal, theme_manager, coordinator):
    before = timezone.now()
    report = started(deal, "1110", theme_manager)
    assert (report.state, report.lock_version) == (ProgressReport.State.DRAFT, 1)
    report = report_update(report=report, user=theme_manager, data={"risks": "Geen"}, lock_version=1)
    report = report_submit(report=report, user=theme_manager, lock_version=2)
    assert (report.state, report.submitted_by, report.lock_version) == ("ingediend", theme_manager, 3)
    with pytest.raises(ValidationError) as caught:
        report_return(report=report, user=coordinator, reason="   ", lock_version=3)
    assert caught.value.message_dict == {"return_reason": ["Geef een reden op waarom het verslag wordt teruggestuurd."]}
    report = report_return(report=report, user=coordinator, reason="  Risico's ontbreken. ", lock_version=3)
    assert (report.state, report.return_reason) == (ProgressReport.State.RETURNED, "Risico's ontbreken.")
    assert (report.decided_by, report.lock_version) == (coordinator, 4)
    returned_at = report.decided_at
    report = report_submit(report=report, user=theme_manager, lock_version=4)
    report = report_approve(report=report, user=coordinator, lock_version=5)
    after = timezone.now()
    report.refresh_from_db()
    assert (report.state, report.decided_by, report.lock_version) == (ProgressReport.State.APPROVED, coordinator, 6)
    assert before <= returned_at <= report.submitted_at <= report.decided_at <= after
    writers = [h.history_user for h in report.history.order_by("history_id")]
    assert writers == [theme_manager, theme_manager, theme_manager, coordinator, theme_manager, coordinator]
    correction = report_correct(report=report, user=theme_manager)
    assert (correction.revision, correction.state, correction.risks) == (2, ProgressReport.State.DRAFT, "Geen")
    assert correction.history.get().history_user == theme_manager


def test_the_planning_baseline_is_the_newest_approved_verslag_of_an_earlier_period(deal, theme_manager, coordinator):
    project_1110 = Project.objects.get(deal=deal, code="1110")
    first = ProgressReport.objects.get(project=project_1110, period__name="2022-1")
    assert planning_baseline(project=project_1110, period=period(deal, "2022-1")) == PlanningBaseline(
        project_1110.end, "de projectplanning"
    )
    # A correction of 2022-1, approved with a later expected end: the newest revision is the baseline.
    correction = report_correct(report=first, user=theme_manager)
    later = first.expected_end + timedelta(days=90)
    data = {"expected_end": later, "planning_change_reason": "Vergunning later"}
    correction = report_update(report=correction, user=theme_manager, data=data, lock_version=1)
    report_approve(report=report_submit(report=correction, user=theme_manager), user=coordinator)
    assert last_approved_report(project=project_1110, before=period(deal)) == correction
    assert planning_baseline(project=project_1110, period=period(deal)) == PlanningBaseline(later, "verslag 2022-1")
    # An approved verslag of the period itself is not "earlier".
    current = started(deal, "1110", theme_manager)
    # Prefilled from the correction, but the reason for moving the planning belongs to 2022-1.
    assert (current.expected_end, current.planning_change_reason) == (later, "")
    report_approve(report=report_submit(report=current, user=theme_manager), user=coordinator)
    assert last_approved_report(project=project_1110, before=period(deal)) == correction


def test_the_last_approved_verslag_is_of_the_latest_earlier_period_whatever_its_revision(
    deal, theme_manager, coordinator, django_assert_num_queries
):
    project_1110 = Project.objects.get(deal=deal, code="1110")
    first_half = period(deal, "2022-1")
    # The half year before 2022-1, with an approved verslag that was corrected once (revision 2).
    earlier = ReportingPeriod.objects.create(
        deal=deal,
        name="2021-2",
        start=first_half.start - timedelta(days=184),
        end=first_half.start,
        reference_date=first_half.start,
        deadline=first_half.start + timedelta(days=59),
    )
    report = report_start(project=project_1110, period=earlier, user=theme_manager)
    report = report_update(report=report, user=theme_manager, data={"progress": "Gestart."}, lock_version=1)
    report = report_approve(report=report_submit(report=report, user=theme_manager), user=coordinator)
    correction = report_correct(report=report, user=theme_manager)
    report_approve(report=report_submit(report=correction, user=theme_manager), user=coordinator)
    # And a concept correction of 2022-1 that is not approved (yet).
    approved_2022_1 = ProgressReport.objects.get(project=project_1110, period=first_half)
    report_correct(report=approved_2022_1, user=theme_manager)

    second_half = period(deal)
    assert last_approved_report(project=project_1110, before=second_half) == approved_2022_1
    with django_assert_num_queries(1):  # the verslag with its period
        baseline = planning_baseline(project=project_1110, period=second_half)
    assert baseline == PlanningBaseline(approved_2022_1.expected_end, "verslag 2022-1")


def test_a_locked_verslag_comes_with_its_project_and_period_in_one_query(
    deal, theme_manager, django_assert_num_queries
):
    report = started(deal, "1110", theme_manager)
    with django_assert_num_queries(1):
        locked = _lock(report)
        assert (locked.pk, locked.project.code, locked.period.name) == (report.pk, "1110", "2022-2")


def test_submitting_a_version_the_writer_did_not_see_is_refused(deal, theme_manager, coordinator):
    report = started(deal, "1110", theme_manager)
    seen = report.lock_version
    report_update(report=report, user=coordinator, data={"risks": "Nieuw risico"}, lock_version=seen)
    with pytest.raises(StaleReportError):
        report_submit(report=report, user=theme_manager, lock_version=seen)
    report.refresh_from_db()
    assert (report.state, report.lock_version) == (ProgressReport.State.DRAFT, seen + 1)
