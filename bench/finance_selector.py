"""Benchmark of finance.selectors.deal_figures (run by hand, not in CI).

    .venv/bin/python bench/finance_selector.py [--pg postgres://postgres@127.0.0.1:5432] [--append docs/benchmarks.md]

Creates a throwaway PostgreSQL database (regiodeal_bench_finance), migrates it, loads the demo
deal and two synthetic deals about 10x and 100x its size, and times for each deal_figures as of
its default ijkdatum (the demo's: 2022-07-01) (median of several runs, and its SQL query
count) next to one hand-written SQL GROUP BY over the same bookings. Drops the database afterwards.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "regiodeal_bench_finance"
AS_OF = date(2022, 7, 1)

HAND_SQL = """
SELECT project_id, funder_id, kind,
       SUM(CASE WHEN correction_of_id IS NULL THEN amount ELSE -amount END)
FROM finance_booking
WHERE deal_id = %s AND date <= %s
GROUP BY project_id, funder_id, kind
"""


def median_time(fn, runs: int) -> float:
    fn()  # warm up caches and the connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--append", help="append the results as a Markdown section to this file")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin.execute(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = f"{args.pg}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiodeal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from finance.models import Booking
    from finance.selectors import deal_figures
    from projects.models import Deal
    from reports.synthetic import generate_synthetic

    try:
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        demo = Deal.objects.get(code="cleantech")
        demo_projects = demo.projects.count()
        # The demo has 26 projects; the synthetic deals 10x and 100x as many, with about 20 bookings each.
        deals = [
            ("demo (cleantech)", demo),
            ("10x", generate_synthetic(deals=1, projects_per_deal=260, bookings_per_project=20, seed=10).deals[0]),
            ("100x", generate_synthetic(deals=1, projects_per_deal=2600, bookings_per_project=20, seed=100).deals[0]),
        ]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rows = []
        for label, deal in deals:
            bookings = Booking.objects.filter(deal=deal).count()
            projects = deal.projects.count()
            connection.queries_log.clear()  # load_demo filled the log to its limit
            as_of = deal.default_reference_date  # the demo's is 1 July 2022
            with CaptureQueriesContext(connection) as ctx:
                deal_figures(deal=deal, as_of=as_of)
            selector = median_time(lambda d=deal, a=as_of: deal_figures(deal=d, as_of=a), args.runs)

            def hand(d=deal, a=as_of):
                with connection.cursor() as cursor:
                    cursor.execute(HAND_SQL, [d.pk, a])
                    return cursor.fetchall()

            sql = median_time(hand, args.runs)
            rows.append((label, projects, bookings, len(ctx.captured_queries), selector, sql))
    finally:
        connection.close()
        with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")

    uname = platform.uname()
    lines = [
        f"## finance.selectors.deal_figures ({datetime.now():%Y-%m-%d %H:%M})",
        "",
        f"Machine: `{uname.system} {uname.release} {uname.machine}`, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PostgreSQL (throwaway database), load average "
        f"{os.getloadavg()[0]:.1f} at the end (the machine is shared, so times vary by about 2x between runs). "
        f"Median of {args.runs} runs, as of each deal's default ijkdatum (demo: {AS_OF:%d-%m-%Y}); "
        "`bench/finance_selector.py`. "
        f"The demo deal has {demo_projects} projects.",
        "",
        "| deal | projects | bookings | queries | deal_figures | hand-written SQL GROUP BY | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, projects, bookings, queries, selector, sql in rows:
        lines.append(
            f"| {label} | {projects} | {bookings} | {queries} | {selector * 1000:.1f} ms | {sql * 1000:.1f} ms "
            f"| {selector / sql:.1f}x |"
        )
    lines += [
        "",
        "deal_figures runs the same GROUP BY (plus funders, actielijnen, programmes, projects) and builds every",
        "row and total in Python; the difference with the bare SQL is that Python work.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
