"""Printing the report page from the browser gives only the report: no menu, no filter form, no buttons."""


def test_the_printed_report_page_has_no_menu_or_form(page, login):
    login("stuurgroep")
    page.goto("/rapportage/cleantech/?ijkdatum=2022-07-01")
    assert page.locator(".report-toolbar").is_visible()
    page.emulate_media(media="print")
    assert [page.locator(part).is_visible() for part in (".site-header", ".report-toolbar", ".site-footer")] == [
        False,
        False,
        False,
    ]
    assert page.get_by_role("heading", name="Voorwoord").is_visible()
    # Wide tables are not cut: the scroll box is lifted, so the table fits the page width.
    widths = page.evaluate(
        "() => [...document.querySelectorAll('.table-scroll')].map(b => b.scrollWidth <= b.clientWidth + 1)"
    )
    assert widths and all(widths)
