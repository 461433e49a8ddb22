"""python manage.py send_reminders: who gets which e-mail, in Dutch, and never twice for the same moment."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from projects.models import ProgressReport, ReminderLog
from projects.services import report_submit
from tests.projects.progress_helpers import period, started

DEADLINE = date(2023, 3, 1)  # of demo period 2022-2


@pytest.fixture(autouse=True)
def reminder_days(settings):
    settings.REMINDER_DAYS_BEFORE = 7
    settings.REMINDER_DAYS_AFTER = 3


def run(today: date) -> None:
    call_command("send_reminders", today=today.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115


def mails_about(mailoutbox, code):
    return [m for m in mailoutbox if f"project {code}" in m.subject]


def test_reminder_before_deadline_goes_to_theme_manager_and_penvoerder(deal, mailoutbox, other_theme_manager):
    run(DEADLINE - timedelta(days=7))

    (mail_1310,) = mails_about(mailoutbox, "1310")
    assert mail_1310.to == ["penvoerder@example.org", "themalijnmanager@example.org"]
    assert mail_1310.subject == "Herinnering: verslag 2022-2 van project 1310 uiterlijk 1 maart 2023 indienen"
    assert "Beste " in mail_1310.body and "nog niet gestart" in mail_1310.body
    assert "/deals/cleantech/projecten/1310/" in mail_1310.body
    (mail_2120,) = mails_about(mailoutbox, "2120")
    assert mail_2120.to == [other_theme_manager.email]  # themalijnmanager of programme 2100
    assert ReminderLog.objects.filter(period=period(deal), moment="voor").count() == len(mailoutbox)


def test_reminder_is_not_sent_twice_for_the_same_moment(deal, mailoutbox):
    run(DEADLINE - timedelta(days=7))
    first = len(mailoutbox)
    # One per project of actielijn Cleantech Werkt (1110-1150, 1210-1220, 1310-1340, all running in 2022-2):
    # the demo's only themalijnmanager writes for those; Groene Groei has nobody to mail in the demo.
    codes = ["1110", "1120", "1130", "1140", "1150", "1210", "1220", "1310", "1320", "1330", "1340"]
    assert sorted(m.subject.split("project ")[1].split(" ")[0] for m in mailoutbox) == codes
    assert first == 11

    run(DEADLINE - timedelta(days=6))
    run(DEADLINE - timedelta(days=7))

    assert len(mailoutbox) == first


def test_no_reminder_for_submitted_report(deal, mailoutbox, theme_manager):
    report_submit(report=started(deal, "1110", theme_manager), user=theme_manager)
    run(DEADLINE - timedelta(days=2))
    assert mails_about(mailoutbox, "1110") == []
    assert mails_about(mailoutbox, "1120") != []


def test_returned_report_reminder_names_the_reason(deal, mailoutbox, theme_manager, coordinator):
    from projects.services import report_return

    report = report_submit(report=started(deal, "1110", theme_manager), user=theme_manager)
    report_return(report=report, user=coordinator, reason="Risico's ontbreken.")
    run(DEADLINE - timedelta(days=1))
    (mail,) = mails_about(mailoutbox, "1110")
    assert "teruggestuurd" in mail.body and "Risico's ontbreken." in mail.body


def test_after_deadline_a_late_notice_is_sent_once(deal, mailoutbox):
    run(DEADLINE + timedelta(days=2))
    assert mailoutbox == []  # between the moments: nothing

    run(DEADLINE + timedelta(days=3))
    late = mails_about(mailoutbox, "1110")
    assert len(late) == 1 and late[0].subject.startswith("Te laat:")
    run(DEADLINE + timedelta(days=4))
    assert len(mails_about(mailoutbox, "1110")) == 1


def test_nothing_is_sent_long_before_or_after_a_deadline(deal, mailoutbox):
    run(DEADLINE - timedelta(days=30))
    run(DEADLINE + timedelta(days=60))
    assert mailoutbox == []
    assert not ProgressReport.objects.filter(period=period(deal)).exists()


def test_today_option_must_be_a_date(deal):
    with pytest.raises(CommandError, match="geen datum"):
        call_command("send_reminders", today="morgen")


def test_reminder_log_refuses_a_second_row_for_the_same_moment(deal):
    from django.db import IntegrityError, transaction

    project = deal.projects.get(code="1110")
    ReminderLog.objects.create(period=period(deal), project=project, moment="voor", recipients="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(period=period(deal), project=project, moment="voor", recipients="a@example.org")
