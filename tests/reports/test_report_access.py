"""Who reads the report, who publishes it and writes its texts (URL x role)."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from reports.models import ReportText

READERS = ["coordinator", "steering", "kassier", "controller", "theme_manager"]


@pytest.mark.parametrize("persona", READERS)
def test_readers_open_the_report_and_the_list_of_versions(persona, request, deal, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reports:report-detail", args=[deal.code])).status_code == 200
    assert client.get(reverse("reports:published-list", args=[deal.code])).status_code == 200
    assert client.get(reverse("reports:report-export", args=[deal.code, "json"])).status_code == 200


def test_a_penvoerder_may_not_read_the_report(lead, deal, client_for):
    client = client_for(lead)
    assert client.get(reverse("reports:report-detail", args=[deal.code])).status_code == 403
    assert client.get(reverse("reports:report-export", args=[deal.code, "json"])).status_code == 403
    assert client.get(reverse("reports:index")).status_code == 403


def test_an_outsider_does_not_even_see_that_the_deal_exists(outsider, deal, client_for):
    client = client_for(outsider)
    assert client.get(reverse("reports:report-detail", args=[deal.code])).status_code == 404
    assert client.get(reverse("reports:published-list", args=[deal.code])).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, deal):
    response = client.get(reverse("reports:report-detail", args=[deal.code]))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


@pytest.mark.parametrize("persona", ["steering", "kassier", "controller", "theme_manager"])
def test_only_the_coordinator_publishes_and_edits_texts(persona, request, deal, period, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reports:publish", args=[deal.code])).status_code == 403
    assert client.post(reverse("reports:publish", args=[deal.code]), {"note": "x"}).status_code == 403
    edit = reverse("reports:text-edit", args=[deal.code, period.pk])
    assert client.post(edit, {"foreword": "Niet van mij", "summary": "", "lessons": ""}).status_code == 403
    assert not ReportText.objects.filter(deal=deal, period=period, foreword="Niet van mij").exists()


def test_coordinator_writes_the_foreword_and_it_appears_in_the_report(coordinator, deal, period, client_for):
    client = client_for(coordinator)
    edit = reverse("reports:text-edit", args=[deal.code, period.pk])
    response = client.post(
        edit,
        {"foreword": "Er is veel reden om optimistisch te zijn.", "summary": "Alles op koers.", "lessons": "Les 1"},
    )
    assert response.status_code == 302
    text = ReportText.objects.get(deal=deal, period=period)
    assert text.updated_by == coordinator
    # The demo made the text of 2022-1 (reports/demo.py); the coordinator's save is its second version.
    versions = list(text.history.order_by("history_date"))
    assert [h.history_type for h in versions] == ["+", "~"] and versions[-1].history_user == coordinator
    page = client.get(reverse("reports:report-detail", args=[deal.code]) + f"?periode={period.pk}")
    assert "Er is veel reden om optimistisch te zijn." in page.content.decode()
    assert "Les 1" in page.content.decode()


def test_report_page_links_each_figure_to_its_bookings_and_loads_no_inline_script(steering, deal, client_for):
    html = client_for(steering).get(reverse("reports:report-detail", args=[deal.code])).content.decode()
    assert reverse("finance:booking-list", args=[deal.code]) + "?programma=1100" in html
    assert 'class="data-table report-table sortable"' in html
    assert "<script>" not in html and "table-sort.js" in html


def test_report_page_query_count_is_bounded(steering, deal, client_for, django_assert_max_num_queries):
    client = client_for(steering)
    # 46: one more since the report asks for the deal's programme lines (none in the demo).
    with django_assert_max_num_queries(46):
        client.get(reverse("reports:report-detail", args=[deal.code]))


def test_stuurgroep_finds_the_report_from_the_start_page_and_the_menu(steering, client_for):
    html = client_for(steering).get("/").content.decode()
    assert 'href="/rapportage/"' in html and ">Rapportage</a>" in html


def test_penvoerder_has_no_report_entry_in_the_menu(lead, client_for):
    assert ">Rapportage</a>" not in client_for(lead).get("/").content.decode()


def _link_of(html: str, row_label: str, column: int) -> str:
    """The href of the ``column``-th amount (0 = Rijk, 3 = total) in the table row that starts with ``row_label``."""
    row = html[html.index(f'<th scope="row">{row_label}') :]
    row = row[: row.index("</tr>")]
    hrefs = re.findall(r'href="([^"]+)"', row)
    return unescape(hrefs[column])


def test_each_amount_links_to_exactly_the_bookings_it_sums(steering, deal, client_for):
    client = client_for(steering)
    html = client.get(reverse("reports:report-detail", args=[deal.code]) + "?ijkdatum=2022-07-01").content.decode()
    tabel_6 = html[html.index('id="tabel6"') :]
    # Tabel 6, programme 1300: Rijk uitgekeerd 409.377; all categories 409.377 + 528.283 + 30.750 = 968.410.
    rijk = client.get(_link_of(tabel_6, "1300 ", 0)).context["totals"]
    total = client.get(_link_of(tabel_6, "1300 ", 3)).context["totals"]
    assert (rijk.uitgekeerd, rijk.begroot, rijk.besteed) == (Decimal("409377.00"), 0, 0)
    assert (total.uitgekeerd, total.begroot) == (Decimal("968410.00"), 0)
