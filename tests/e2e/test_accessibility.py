"""The main pages pass axe-core with no serious or critical violations.

axe-core comes from the npm registry (tests/e2e/package.json; `make test` installs it).
"""

from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"

MAIN_PAGES = {
    "coordinator": [
        "/",
        "/deals/cleantech/",
        "/deals/cleantech/projecten/1310/",
        "/deals/cleantech/periodes/2022-2/",
        "/financien/cleantech/bevindingen/",
        "/beheer/",
    ],
    "kassier": ["/financien/cleantech/", "/financien/cleantech/tranches/", "/financien/cleantech/tranches/nieuw/"],
    "themalijnmanager": ["/verslagen/", "/monitoring/cleantech/programmas/1300/"],
    "stuurgroep": ["/rapportage/cleantech/?ijkdatum=2022-07-01", "/monitoring/cleantech/"],
}


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core ontbreekt: npm install --prefix tests/e2e")
def test_main_pages_have_no_serious_accessibility_violations(axe_page, axe_login):
    page = axe_page
    found = {}
    for user, paths in MAIN_PAGES.items():
        axe_login(user)
        for path in paths:
            page.goto(path)
            violations = serious_violations(page)
            if violations:
                found[f"{user} {path}"] = violations
    assert found == {}, "\n".join(f"{where}: {v}" for where, vs in found.items() for v in vs)
