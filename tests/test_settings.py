import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from projects.templatetags.money import euro, euro0, percent

ROOT = Path(__file__).resolve().parent.parent


def test_euro_uses_dutch_separators():
    assert euro(Decimal("1234567")) == "€\u00a01.234.567,00"
    assert euro0(Decimal("1234567.49")) == "€\u00a01.234.567"
    assert euro(Decimal("-5.5")) == "-€\u00a05,50"


def test_euro_refuses_floats():
    with pytest.raises(TypeError):
        euro(1.5)


def test_percent_of_nothing_is_a_dash():
    assert percent(None) == "–"
    assert percent(Decimal("37.5")) == "38\u00a0%"


def test_dutch_date_format(settings):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("nl"):
        rendered = Template("{{ d|date }}").render(Context({"d": __import__("datetime").date(2022, 7, 1)}))
    assert rendered == "1 juli 2022"


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60 + "productie-sleutel-die-lang-genoeg-is",
        "ALLOWED_HOSTS": "portaal.example.org",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_no_template_loads_anything_from_another_host():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if "http://" in text or "https://" in text or "//cdn" in text:
            offenders.append(str(path))
    assert offenders == []
