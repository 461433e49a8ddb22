"""What every page carries: a favicon served by the portal itself, and a footer in plain language."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_has_the_portals_own_favicon(client):
    page = client.get("/inloggen/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    icon = finders.find("img/favicon.svg")
    with open(icon, encoding="utf-8") as svg:
        assert svg.read().startswith('<svg xmlns="http://www.w3.org/2000/svg"')


def test_the_footer_says_where_to_ask_not_how_the_system_works(client):
    page = client.get("/inloggen/").content.decode()
    assert "Neem contact op met de coördinator van de deal." in page
    assert "één boekhouding" not in page


def test_one_date_format_for_text_and_one_for_tables_everywhere():
    # "1 juli 2022" in running text, "01-07-2022" in tables; Y-m-d only as the value of a date input.
    allowed = {"j F Y", "j F Y H:i", "F Y", "Y", "d-m-Y", "d-m-Y H:i", "Y-m-d"}
    templates = Path(__file__).resolve().parent.parent / "templates"
    used = {
        (path.name, fmt)
        for path in templates.rglob("*.html")
        for fmt in re.findall(r"""\|date:["']([^"']*)["']""", path.read_text(encoding="utf-8"))
    }
    assert {(name, fmt) for name, fmt in used if fmt not in allowed} == set()
