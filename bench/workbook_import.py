"""Workbook import of about 100.000 bookings (run by hand, not a test).

    .venv/bin/python bench/workbook_import.py [--pg postgres://postgres@127.0.0.1:5432] [--bookings 100000] \
        [--append docs/benchmarks.md]

In a throwaway PostgreSQL database it generates a synthetic deal of that many bookings
(generate_synthetic) and exports it (export_workbook). In a second, empty database it then
imports the workbook: first --dry-run (the preview), then for real. Each step runs as its
own process; the script reports wall time and that process's peak memory (ru_maxrss).
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PROJECTS = 1000
SEED = 100


def step(label: str, args: list[str], env: dict) -> tuple[float, float]:
    """Runs `manage.py args` in a child; returns (seconds, peak MiB of that child alone)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        start = time.perf_counter()
        child = subprocess.Popen([PY, "manage.py", *args], env=env, cwd=ROOT, stdout=out, stderr=out)  # noqa: S603
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            out.seek(0)
            sys.exit(f"{label} mislukte:\n{out.read()[-3000:]}")
    peak = usage.ru_maxrss / 1024
    print(f"{label}: {seconds:.1f} s, piek {peak:.0f} MiB")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--append")
    args = parser.parse_args()

    source, target = f"bench_wb_src_{os.getpid()}", f"bench_wb_dst_{os.getpid()}"
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    src_env = {**base, "DATABASE_URL": f"{args.pg}/{source}"}
    dst_env = {**base, "DATABASE_URL": f"{args.pg}/{target}"}
    per_project = max(4, args.bookings // PROJECTS)
    workbook = Path(tempfile.mkdtemp()) / "werkmap.xlsx"
    results = {}
    for name in (source, target):
        subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)  # noqa: S607
    try:
        step("migreren (bron)", ["migrate", "--noinput"], src_env)
        step(
            "synthetische deal",
            [
                "generate_synthetic",
                "--deals",
                "1",
                "--projects-per-deal",
                str(PROJECTS),
                "--bookings-per-project",
                str(per_project),
                "--seed",
                str(SEED),
            ],
            src_env,
        )
        results["export"] = step(
            "export_workbook", ["export_workbook", f"synth-{SEED}-1", "--output", str(workbook)], src_env
        )
        step("migreren (doel)", ["migrate", "--noinput"], dst_env)
        step("demo-gebruikers (doel)", ["load_demo"], dst_env)
        results["dry-run"] = step(
            "import --dry-run", ["import_workbook", str(workbook), "--dry-run", "--user", "coordinator"], dst_env
        )
        results["import"] = step("import", ["import_workbook", str(workbook), "--user", "coordinator"], dst_env)
        results["again"] = step(
            "zelfde werkmap nogmaals (verandert niets)",
            ["import_workbook", str(workbook), "--user", "coordinator"],
            dst_env,
        )
        count = (
            subprocess.run(
                [
                    PY,
                    "manage.py",
                    "shell",
                    "-c",
                    "from finance.models import Booking; "
                    f"print(Booking.objects.filter(deal__code='synth-{SEED}-1').count())",
                ],
                env=dst_env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,  # noqa: S603
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        print(f"boekingen geïmporteerd: {count}; werkmap {workbook.stat().st_size / 1e6:.1f} MB")
    finally:
        for name in (source, target):
            subprocess.run(["psql", f"{args.pg}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=False)  # noqa: S607

    if args.append:
        uname = platform.uname()
        lines = [
            f"\n## Werkmap-import van {int(count):,} boekingen ({datetime.datetime.now():%Y-%m-%d %H:%M})\n".replace(
                ",", "."
            ),
            f"Machine: `{uname.system} {uname.release} {uname.machine}`, {os.cpu_count()} CPUs, PostgreSQL; "
            f"synthetische deal van {PROJECTS} projecten, werkmap {workbook.stat().st_size / 1e6:.1f} MB; "
            f"elke stap een eigen proces (piek = ru_maxrss). Load average {os.getloadavg()[0]:.1f}. "
            "`bench/workbook_import.py`.\n",
            "| stap | tijd (s) | piekgeheugen (MiB) |",
            "|---|---:|---:|",
        ]
        labels = {
            "export": "export_workbook",
            "dry-run": "import --dry-run (voorbeeld)",
            "import": "import (opslaan)",
            "again": "zelfde werkmap nogmaals",
        }
        for key, label in labels.items():
            seconds, peak = results[key]
            lines.append(f"| {label} | {seconds:.1f} | {peak:.0f} |")
        with open(args.append, "a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
