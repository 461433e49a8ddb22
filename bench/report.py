"""Benchmark of the voortgangsrapportage (run by hand, not a test).

    DATABASE_URL=sqlite:////tmp/bench_report.sqlite3 .venv/bin/python bench/report.py [--append docs/benchmarks.md]

For the demo deal and synthetic deals about 10x and 100x its size (26 projects): JSON and HTML
time and SQL query count, PDF time and peak memory (tracemalloc), next to WeasyPrint alone on
the saved HTML. Needs a migrated database; loads the demo and the synthetic deals itself.
"""

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regiodeal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from projects.models import Deal  # noqa: E402
from reports import exports  # noqa: E402
from reports.pdf import html_to_pdf  # noqa: E402
from reports.selectors import report_data  # noqa: E402
from reports.synthetic import generate_synthetic  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def in_child(fn):
    """Run fn in a forked child: (result, seconds, peak MiB of the child above the parent's size).

    A child per PDF, so each peak is its own (ru_maxrss only grows) and timing runs without a profiler.
    """
    context = multiprocessing.get_context("fork")
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue = context.Queue()

    def child():
        result, seconds = timed(fn)
        queue.put((result, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))

    process = context.Process(target=child)
    process.start()
    result, seconds, child_rss = queue.get()
    process.join()
    return result, seconds, max(0, child_rss - parent_rss) / 1024


# The one aggregate every money figure of the report rests on, written by hand: the report
# data is compared against it (the rest is Python work: rows, totals, findings, texts).
HAND_SQL = """
SELECT project_id, funder_id, kind,
       SUM(CASE WHEN correction_of_id IS NULL THEN amount ELSE -amount END)
FROM finance_booking
WHERE deal_id = %s AND date <= %s
GROUP BY project_id, funder_id, kind
"""


def group_by_seconds(deal: Deal, as_of: date, runs: int = 5) -> float:
    def once():
        with connection.cursor() as cursor:
            cursor.execute(HAND_SQL, [deal.pk, as_of])
            cursor.fetchall()

    once()
    return sorted(timed(once)[1] for _ in range(runs))[runs // 2]


def measure(deal: Deal, as_of: date, *, pdf: bool) -> dict:
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        data, t_data = timed(lambda: report_data(deal=deal, as_of=as_of))
        json_bytes, t_json = timed(lambda: exports.json_bytes(data))
    n_queries = len(queries.captured_queries)
    html, t_html = timed(lambda: exports.html_bytes(data))
    t_sql = group_by_seconds(deal, as_of)
    row = {
        "data_s": t_data,
        "sql_s": t_sql,
        "deal": deal.code,
        "projects": deal.projects.count(),
        "queries": n_queries,
        "json_s": t_data + t_json,
        "html_s": t_data + t_html,
        "json_kb": len(json_bytes) // 1024,
    }
    if pdf:
        pdf_bytes, t_pdf, peak = in_child(lambda: exports.pdf_bytes(data))
        _, t_alone, peak_alone = in_child(lambda: html_to_pdf(html.decode()))
        row.update(
            pdf_s=t_pdf,
            pdf_peak_mib=peak,
            weasy_s=t_alone,
            weasy_peak_mib=peak_alone,
        )
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--append", help="Markdown file to append the results to (e.g. docs/benchmarks.md).")
    parser.add_argument("--no-pdf-100x", action="store_true", help="Skip the PDF of the largest deal.")
    parser.add_argument("--sizes", default="demo,10x,100x", help="Which deals to measure, e.g. demo,10x.")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo = Deal.objects.get(code="cleantech")
    as_of = date(2022, 7, 1)
    sizes = args.sizes.split(",")
    deals = [("demo", demo, as_of, True)]
    if "10x" in sizes:
        x10 = generate_synthetic(deals=1, projects_per_deal=260, bookings_per_project=20, seed=10).deals[0]
        deals.append(("10x", x10, x10.default_reference_date, True))
    if "100x" in sizes:
        x100 = generate_synthetic(deals=1, projects_per_deal=2600, bookings_per_project=20, seed=100).deals[0]
        deals.append(("100x", x100, x100.default_reference_date, not args.no_pdf_100x))
    rows = []
    for label, deal, reference, with_pdf in deals:
        if label not in sizes:
            continue
        rows.append(measure(deal, reference, pdf=with_pdf))
        print(label, rows[-1], flush=True)
    header = (
        "| deal | projecten | SQL-queries | rapportdata (s) | één SQL GROUP BY (s) | verhouding | JSON (s) | HTML (s) "
        "| PDF (s) | PDF piek (MiB) | WeasyPrint alleen (s) | WeasyPrint piek (MiB) | PDF / WeasyPrint |"
    )
    lines = [header, "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "pdf_s" in r:
            pdf_cols = (
                f"{r['pdf_s']:.1f} | {r['pdf_peak_mib']:.0f} | {r['weasy_s']:.1f} | {r['weasy_peak_mib']:.0f} | "
                f"{r['pdf_s'] / r['weasy_s']:.2f}"
            )
        else:
            pdf_cols = "– | – | – | – | –"
        lines.append(
            f"| {r['deal']} | {r['projects']} | {r['queries']} | {r['data_s']:.3f} | {r['sql_s']:.4f} | "
            f"{r['data_s'] / r['sql_s']:.0f}x | {r['json_s']:.2f} | {r['html_s']:.2f} | {pdf_cols} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as out:
            out.write(
                f"\n## Voortgangsrapportage ({date.today():%Y-%m-%d}, {connection.vendor})\n\n"
                f"Machine: `{platform.uname().system} {platform.uname().release} {platform.uname().machine}`, "
                f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end.\n\n"
                "`bench/report.py`: report data + JSON/HTML, SQL queries of the report data, PDF (template + "
                "WeasyPrint) and WeasyPrint alone on the saved HTML; peak memory: growth of the "
                "process's maximum RSS while building, each PDF in a forked child.\n\n"
                f"{text}\n"
            )


if __name__ == "__main__":
    main()
