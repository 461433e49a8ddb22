"""Security settings that must hold: CSP, cookies, login throttling, CSRF, bandit."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_content_security_policy_allows_no_inline_script(client_for, coordinator):
    response = client_for(coordinator).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_production_cookies_are_secure_and_httponly():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "k" * 64,
        "ALLOWED_HOSTS": "portaal.example.org",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, "
        "s.CSRF_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0]))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "regiodeal.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, True, True, True]


def test_failed_logins_are_throttled(deal):
    client = Client()
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "kassier", "password": "fout"})
        assert response.status_code == 200
    fifth = client.post(reverse("login"), {"username": "kassier", "password": "fout"})
    assert fifth.status_code == 429
    # Locked out: even the right password is refused for a while.
    locked = client.post(reverse("login"), {"username": "kassier", "password": "regiodeal-demo"})
    assert locked.status_code == 429
    assert "Te veel mislukte pogingen" in locked.content.decode()


def test_forms_need_a_csrf_token(deal):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "kassier", "password": "regiodeal-demo"})
    assert response.status_code == 403


@pytest.mark.skipif(
    not (ROOT / ".venv/bin/bandit").exists() and not __import__("shutil").which("bandit"),
    reason="bandit is niet geïnstalleerd (make install-test)",
)
def test_bandit_finds_nothing_of_medium_severity_or_more():
    bandit = str(ROOT / ".venv/bin/bandit") if (ROOT / ".venv/bin/bandit").exists() else "bandit"
    result = subprocess.run(  # noqa: S603
        [
            bandit,
            "-q",
            "-r",
            "regiodeal",
            "projects",
            "finance",
            "monitoring",
            "reports",
            "-x",
            "*/migrations/*",
            "--severity-level",
            "medium",
            "-f",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(result.stdout)["results"]
    assert findings == [], [(f["filename"], f["line_number"], f["issue_text"]) for f in findings]
