"""HTTP load on gunicorn (run by hand, not a test).

    .venv/bin/python bench/http_load.py [--pg postgres://postgres@127.0.0.1:5432] [--seconds 30] \
        [--append docs/benchmarks.md]

Makes a throwaway PostgreSQL database with the demo deal, starts gunicorn (2 workers,
production settings: DEBUG=0, collected static files) on 127.0.0.1, logs in as the
stuurgroep user through a session made in the database, and runs `wrk` (Debian package
`wrk`; 32 connections, 2 threads) on the deal's finance dashboard, the report page and a
trivial view (the login page). Prints requests per second, p99 latency and the count of
non-2xx responses, which must be 0. Only loopback addresses are used.
"""

import argparse
import datetime
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = 8765
# (label, path, logged in): the login page redirects a logged-in user, so it is asked anonymously.
TARGETS = [
    ("dealdashboard (financiën, peildatum 1-7-2022)", "/financien/cleantech/?tot=2022-07-01", True),
    ("rapportage (HTML, ijkdatum 1-7-2022)", "/rapportage/cleantech/?ijkdatum=2022-07-01", True),
    ("triviaal (inlogpagina, anoniem)", "/inloggen/", False),
]


def run(cmd: list[str], env: dict, **kwargs) -> str:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True, text=True, **kwargs).stdout


def make_session(env: dict) -> str:
    code = (
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from django.contrib.auth.models import User;"
        "from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "u=User.objects.get(username='stuurgroep'); s=SessionStore();"
        "s[SESSION_KEY]=str(u.pk); s[BACKEND_SESSION_KEY]='django.contrib.auth.backends.ModelBackend';"
        "s[HASH_SESSION_KEY]=u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return run([PY, "manage.py", "shell", "-c", code], env).strip().splitlines()[-1]


def wrk(path: str, cookie: str, seconds: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c32",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            f"Cookie: sessionid={cookie}",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p99_ms": float(p99.group(1)) * factor,
        # wrk counts 3xx as success; the status check below makes sure no target redirects.
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "socket_errors": errors.group(1) if errors else "geen",
    }


def status_of(path: str, cookie: str) -> int:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": f"sessionid={cookie}"})
    try:
        return opener.open(request, timeout=60).status  # noqa: S310 (loopback only)
    except urllib.error.HTTPError as error:
        return error.code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--append")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk ontbreekt: apt-get install wrk")

    name = f"bench_http_{os.getpid()}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"{args.pg}/{name}",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }
    subprocess.run(["psql", args.pg + "/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    server = None
    try:
        run([PY, "manage.py", "migrate", "--noinput"], env)
        run([PY, "manage.py", "load_demo"], env)
        run([PY, "manage.py", "collectstatic", "--noinput"], env)
        cookie = make_session(env)
        server = subprocess.Popen(  # noqa: S603
            [GUNICORN, "regiodeal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
            env=env,
            cwd=ROOT,
        )
        time.sleep(3)
        results = []
        for label, path, logged_in in TARGETS:
            session = cookie if logged_in else ""
            status = status_of(path, session)  # also warms caches
            assert status == 200, f"{path} gaf {status}, verwacht 200"
            result = wrk(path, session, args.seconds)
            results.append((label, path, result))
            print(
                f"{label}: {result['rps']:.1f} req/s, p99 {result['p99_ms']:.0f} ms, "
                f"{result['non2xx']} niet-2xx van {result['requests']}, socketfouten {result['socket_errors']}"
            )
    finally:
        if server:
            server.terminate()
            server.wait()
        subprocess.run(["psql", args.pg + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)

    if args.append:
        uname = platform.uname()
        load = os.getloadavg()[0]
        lines = [
            f"\n## HTTP-belasting met wrk ({datetime.datetime.now():%Y-%m-%d %H:%M})\n",
            f"Machine: `{uname.system} {uname.release} {uname.machine}`, {os.cpu_count()} CPUs, PostgreSQL, "
            f"gunicorn 2 workers (DEBUG=0), wrk 2 threads / 32 connections / {args.seconds} s, ingelogd als "
            f"stuurgroep; load average {load:.1f} na afloop. `bench/http_load.py`.\n",
            "| pagina | pad | verzoeken/s | p99 (ms) | niet-2xx | verzoeken |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for label, path, r in results:
            lines.append(
                f"| {label} | `{path}` | {r['rps']:.1f} | {r['p99_ms']:.0f} | {r['non2xx']} | {r['requests']} |"
            )
        with open(args.append, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
