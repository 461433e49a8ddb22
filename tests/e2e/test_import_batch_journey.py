"""Journey: historic payouts from a workbook wait in an import batch until a second person,
a controller of the deal, confirms the batch in the browser after seeing its summary.

Until then nothing of them counts; after confirmation they count once, as approved tranches.
"""

import datetime
import io
import re
from decimal import Decimal

from django.contrib.auth.models import User
from openpyxl import load_workbook

from finance.models import ImportBatch, Tranche
from finance.selectors import deal_figures
from finance.workbook import workbook_export, workbook_import
from projects.models import Deal
from projects.templatetags.money import format_euro

PAID = datetime.date(2023, 5, 1)
PAYOUTS = {"E2E-1": Decimal("1234.50"), "E2E-2": Decimal("765.25")}  # together € 1.999,75
# Everything the demo ever paid out: Tabel 3/6's 2.816.127 + 4.411.722 + 818.560 = 8.046.409 by the ijkdatum,
# then the first tranches of 2180, 2210, 2110 (100.000 each) and 2220 (200.000): 8.546.409.
DEMO_UITGEKEERD = Decimal("8546409.00")


def uitgekeerd(deal: Deal) -> Decimal:
    return deal_figures(deal=deal, as_of=datetime.date.max).total.total.uitgekeerd


def workbook_with_payouts(deal: Deal) -> bytes:
    """The deal's own export plus the PAYOUTS as new rows on sheet 'uitkeringen' (1310 x Rijk)."""
    wb = load_workbook(io.BytesIO(workbook_export(deal=deal)))
    ws = wb["uitkeringen"]
    headers = [c.value for c in ws[1]]
    for kenmerk, amount in PAYOUTS.items():
        row = {"kenmerk": kenmerk, "project": "1310", "financier": "Rijk", "bedrag": amount, "uitkeringsdatum": PAID}
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def rijk_1310_as_shown(page, deal: Deal) -> list[str]:
    """Begroot, uitgekeerd and nog uit te keren of 1310 x Rijk in the finance overview after the payouts' date."""
    page.goto(f"/financien/cleantech/?tot={PAID.isoformat()}&financier={deal.funders.get(name='Rijk').pk}")
    row = page.locator("tr", has=page.get_by_role("link", name="1310", exact=True))
    shown = [plain(text).strip() for text in row.locator("td").all_inner_texts()]
    return [shown[3], shown[5], shown[6]]


def test_imported_payouts_count_only_after_another_persons_controller_confirms(page, login, tmp_path):
    deal = Deal.objects.get(code="cleantech")
    assert uitgekeerd(deal) == DEMO_UITGEKEERD
    upload = tmp_path / "historie.xlsx"
    upload.write_bytes(workbook_with_payouts(deal))

    login("coordinator")
    page.goto("/financien/werkmap/importeren/")
    page.get_by_label("Werkmap (.xlsx)").set_input_files(str(upload))
    page.get_by_role("button", name="Controleren").click()
    # The check step lists the two new uitkeringen and saves nothing yet.
    uitkeringen = page.locator("tr", has=page.locator("td", has_text=re.compile(r"^uitkeringen$")))
    assert uitkeringen.locator("td").nth(1).inner_text() == "2"
    assert not ImportBatch.objects.exists()
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_url(re.compile(r"/financien/cleantech/importbatches/\d+/$"))

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.uploaded_by.username, batch.payout_count) == ("wacht", "coordinator", 2)
    assert uitgekeerd(deal) == DEMO_UITGEKEERD
    assert not Tranche.objects.filter(booking__reference__in=PAYOUTS).exists()

    # The uploader sees the batch but cannot decide it: no buttons, the reason instead, and
    # a forged POST (with a valid CSRF token taken from the logout form) is refused.
    assert page.locator("#batch-status").inner_text() == ImportBatch.Status.WAITING.label
    assert page.get_by_role("button", name="Batch bevestigen").count() == 0
    assert page.get_by_role("button", name="Batch afwijzen").count() == 0
    assert "U heeft deze werkmap zelf geïmporteerd" in page.content()
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    forged = page.request.post(
        f"/financien/cleantech/importbatches/{batch.pk}/bevestigen/",
        form={"csrfmiddlewaretoken": token, "sha256": batch.sha256},
    )
    assert forged.status == 403 and "zelf geïmporteerd" in forged.text()  # the portal's refusal, not CSRF's
    batch.refresh_from_db()
    assert batch.status == "wacht" and uitgekeerd(deal) == DEMO_UITGEKEERD
    # 1310 x Rijk as the pages show it while the batch waits: begroot 143.751, one tranche of 102.345
    # (fixtures/cleantech.json), 41.406 still to pay.
    assert rijk_1310_as_shown(page, deal) == ["€ 143.751,00", "€ 102.345,00", "€ 41.406,00"]

    login("controller")
    page.goto("/financien/cleantech/importbatches/")
    page.get_by_role("link", name=f"Batch {batch.pk}", exact=True).click()
    page.wait_for_url(f"**/importbatches/{batch.pk}/")
    summary = plain(page.locator("dt", has_text="Uitkeringen").locator("xpath=following-sibling::dd[1]").inner_text())
    assert summary == "2, samen € 1.999,75"
    for kenmerk, amount in PAYOUTS.items():
        row = plain(page.locator("tr", has=page.get_by_role("rowheader", name=kenmerk)).inner_text())
        assert plain(format_euro(amount)) in row
        assert "Binnen de begroting" in row
    page.get_by_role("button", name="Batch bevestigen").click()
    page.locator("#batch-status", has_text=ImportBatch.Status.CONFIRMED.label).wait_for()

    batch.refresh_from_db()
    assert (batch.status, batch.decided_by.username) == ("bevestigd", "controller")
    assert uitgekeerd(deal) == Decimal("8548408.75")  # 8.546.409 + 1.999,75
    # 102.345 + 1.234,50 + 765,25 = 104.344,75 paid; 143.751 - 104.344,75 = 39.406,25 still to pay.
    assert rijk_1310_as_shown(page, deal) == ["€ 143.751,00", "€ 104.344,75", "€ 39.406,25"]
    tranches = Tranche.objects.filter(booking__reference__in=PAYOUTS).select_related("booking")
    assert {t.booking.reference: t.amount for t in tranches} == PAYOUTS
    assert {(t.status, t.project.code, t.registered_by.username, t.decided_by.username) for t in tranches} == {
        (Tranche.Status.APPROVED, "1310", "coordinator", "controller")
    }


def test_a_rejected_batch_books_nothing(page, login):
    deal = Deal.objects.get(code="cleantech")
    # The upload itself is the journey above; here the coordinator's import is done directly.
    coordinator = User.objects.get(username="coordinator")
    report = workbook_import(data=workbook_with_payouts(deal), user=coordinator, commit=True, file_name="h.xlsx")
    assert report.saved, [str(e) for e in report.errors]

    login("controller")
    page.goto(f"/financien/cleantech/importbatches/{report.batch.pk}/")
    page.get_by_label("Reden afwijzing").fill("Dubbel met de kasboeken van 2023")
    page.get_by_role("button", name="Batch afwijzen").click()
    page.locator("#batch-status", has_text=ImportBatch.Status.REJECTED.label).wait_for()
    assert "Dubbel met de kasboeken van 2023" in page.content()
    assert page.get_by_role("button", name="Batch bevestigen").count() == 0

    batch = ImportBatch.objects.get()
    assert (batch.status, batch.decided_by.username) == ("afgewezen", "controller")
    assert uitgekeerd(deal) == DEMO_UITGEKEERD
    assert rijk_1310_as_shown(page, deal) == ["€ 143.751,00", "€ 102.345,00", "€ 41.406,00"]
    assert not Tranche.objects.filter(booking__reference__in=PAYOUTS).exists()
