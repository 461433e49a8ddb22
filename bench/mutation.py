"""Mutation testing of the rule modules with mutmut 3 (by hand, never in CI).

    .venv/bin/python bench/mutation.py                        # every rule module
    .venv/bin/python bench/mutation.py projects/roles.py finance/permissions*.py
    .venv/bin/python bench/mutation.py --report               # only the table of the last results
    .venv/bin/python bench/mutation.py projects.roles.x_user_roles__mutmut_5   # retest one mutant

mutmut (configured in pyproject.toml, [tool.mutmut]) copies the apps into ./mutants/, runs the
non-browser suite once to learn which tests reach which function, and then tests every mutant in a
forked child with only those tests. This script picks the modules (as mutant-name globs, in the
order given), runs mutmut niced with one child, and prints per module: mutants, killed, survived,
timeout, no tests, and every survivor (show one with `.venv/bin/mutmut show <name>`; run it from
the repository root).

The database is DATABASE_URL (default: a PostgreSQL database of its own, regiodeal_mut; pytest
makes test_regiodeal_mut and keeps it between sessions with --reuse-db). Results are kept in
mutants/*.meta: a second run retests the named modules, `--report` only reads them.
Results and the survivors' reasons are written up in docs/mutation-testing.md.
"""

import argparse
import fnmatch
import json
import math
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/regiodeal_mut"

# Priority order: the permission modules first, then the services, then the rest.
RULE_MODULES = [
    "projects/roles.py",
    "projects/permissions.py",
    "finance/permissions.py",
    "finance/permissions_cofinancing.py",
    "finance/permissions_vouchers.py",
    "monitoring/permissions.py",
    "reports/permissions.py",
    "finance/services.py",
    "finance/services_cofinancing.py",
    "finance/services_conditions.py",
    "finance/services_decisions.py",
    "finance/services_vouchers.py",
    "finance/services_years.py",
    "projects/services.py",
    "projects/services_roles.py",
    "monitoring/services.py",
    "reports/services.py",
    "finance/workbook.py",
    "finance/workbook_money.py",
    "finance/workbook_lines.py",
    "finance/workbook_vouchers.py",
    "finance/workbook_governance.py",
    "finance/findings.py",
    "finance/selectors.py",
    "finance/selectors_cofinancing.py",
    "finance/selectors_conditions.py",
    "finance/selectors_decisions.py",
    "finance/selectors_headroom.py",
    "finance/selectors_lines.py",
    "finance/selectors_pending.py",
    "finance/selectors_vouchers.py",
    "finance/selectors_years.py",
]

# mutmut's exit codes per mutant (mutmut/stats.py), grouped as the report counts them.
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout", None: "not checked"}
STATUS.update(dict.fromkeys((-24, 24, 152, 255), "timeout"))
COLUMNS = ["killed", "survived", "timeout", "no tests", "not checked", "other"]


def dotted(module: str) -> str:
    return module.removesuffix(".py").replace("/", ".")


def expand(patterns: list[str]) -> list[str]:
    """Module paths (globs allowed, e.g. finance/permissions*.py) in RULE_MODULES order, or mutant names."""
    modules = []
    for pattern in patterns:
        if "__mutmut_" in pattern:  # one mutant, e.g. projects.roles.x_user_roles__mutmut_5: retest it
            modules.append(pattern)
            continue
        matches = [m for m in RULE_MODULES if fnmatch.fnmatch(m, pattern)]
        if not matches:
            sys.exit(f"{pattern}: not a rule module (see RULE_MODULES in {Path(__file__).name})")
        modules += [m for m in matches if m not in modules]
    return modules


def module_of(name: str) -> str:
    """projects.roles.x_user_roles__mutmut_5 -> projects/roles.py; a module path stays itself."""
    if "__mutmut_" not in name:
        return name
    return max((m for m in RULE_MODULES if name.startswith(dotted(m) + ".")), key=len)


def mutant_glob(module: str) -> str:
    """projects/roles.py -> projects.roles.* (mutmut names a mutant module.function__mutmut_N)."""
    return module if "__mutmut_" in module else dotted(module) + ".*"


def run_mutmut(
    modules: list[str], max_children: int, max_tests: int | None, clean_run: bool, new_tests: str, prepare: bool = False
) -> int:
    env = {**os.environ, "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)}
    env.setdefault("PYTHONUNBUFFERED", "1")
    command = ["nice", "-n", "10", sys.executable, __file__, "--inner"]
    command += ["--max-tests", str(max_tests or 0), "--new-tests", new_tests]
    command += [] if clean_run else ["--no-clean-run"]
    command += ["--prepare"] if prepare else []
    command += ["run", "--max-children", str(max_children)] + [mutant_glob(m) for m in modules]
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def inner(argv: list[str]) -> None:
    """mutmut's own command line (run from the repository root), with this script's two economies."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-tests", type=int, default=0)
    parser.add_argument("--no-clean-run", action="store_true")
    parser.add_argument("--new-tests", default="")
    parser.add_argument("--prepare", action="store_true")
    args, mutmut_argv = parser.parse_known_args(argv)

    from mutmut.__main__ import cli
    from mutmut.runners.harness import ListAllTestsResult
    from mutmut.state import state
    from mutmut.workers.isolation import ForkRunner

    if args.max_tests:
        submit = ForkRunner.submit

        def submit_fastest(self, mutant_name, tests, cpu_time_limit, estimated_time):
            # The N fastest tests that reach the mutated function (mutmut runs them fastest first, -x).
            tests = sorted(tests, key=lambda name: state().duration_by_test[name])[: args.max_tests]
            estimated_time = sum(state().duration_by_test[name] for name in tests)
            return submit(self, mutant_name, tests, cpu_time_limit, estimated_time)

        ForkRunner.submit = submit_fastest
    if args.no_clean_run:
        # mutmut runs every test of the chosen mutants once unmutated before it starts; right
        # after a green stats run (or a green run of the whole suite) that is a second full run.
        ForkRunner.run_clean_tests = lambda self, tests: 0
    if args.new_tests:
        # A shared checkout: tests others are still writing must not stop the run (mutmut stops
        # when a new test fails in its stats run); only new tests matching the glob are taken in.
        new_tests = ListAllTestsResult.new_tests
        ListAllTestsResult.new_tests = lambda self: {t for t in new_tests(self) if fnmatch.fnmatch(t, args.new_tests)}
    if args.prepare:
        # Only generate the mutants and the stats (which test reaches which function), test none:
        # bench/mutation_screen.py takes it from there.
        import mutmut.__main__ as mutmut_main

        collect = mutmut_main.collect_source_file_mutation_data
        mutmut_main.collect_source_file_mutation_data = lambda mutant_names: ([], collect(mutant_names=())[1])
        mutmut_main.run_forced_fail_test = lambda runner: None
    cli(mutmut_argv, prog_name="mutmut")


def results(module: str) -> dict[str, int | None]:
    meta = ROOT / "mutants" / (module + ".meta")
    if not meta.exists():
        return {}
    return json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]


def sample(modules: list[str], fraction: float, seed: int) -> list[str]:
    """A random share of each module's mutants (the same names for the same seed), to estimate a score
    where running every mutant would take hours: every mutant is equally likely to be drawn."""
    rng = random.Random(seed)
    names = []
    for module in modules:
        keys = sorted(results(module))
        if not keys:
            sys.exit(f"{module}: no mutants yet; run mutmut once on it (without --sample) to generate them")
        names += rng.sample(keys, math.ceil(fraction * len(keys)))
    return names


def report(modules: list[str], only: set[str] | None = None) -> None:
    header = ["module", "mutants", *COLUMNS]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    survivors = []
    for module in modules:
        codes = {name: code for name, code in results(module).items() if only is None or name in only}
        counts = Counter(STATUS.get(code, "other") for code in codes.values())
        print(f"| {module} | {len(codes)} | " + " | ".join(str(counts[c]) for c in COLUMNS) + " |")
        survivors += [name for name, code in codes.items() if STATUS.get(code) in ("survived", "timeout", "other")]
    if survivors:
        print("\nSurvivors and timeouts (`.venv/bin/mutmut show NAME`):")
        for name in survivors:
            print("   ", name)


def main() -> None:
    if sys.argv[1:2] == ["--inner"]:
        return inner(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "modules", nargs="*", help="rule modules, e.g. projects/roles.py, or mutant names (default: all modules)"
    )
    parser.add_argument("--max-children", type=int, default=1, help="forked test children at once (default 1)")
    parser.add_argument(
        "--max-tests",
        type=int,
        default=None,
        help="run each mutant against only the N fastest tests that reach its function (default: all of them)",
    )
    parser.add_argument(
        "--no-clean-run",
        action="store_true",
        help="skip mutmut's unmutated run of all the chosen mutants' tests (only right after a green run)",
    )
    parser.add_argument(
        "--new-tests",
        default="",
        metavar="GLOB",
        help="of the tests added since mutmut's stats run, take in only those whose id matches "
        "(e.g. 'tests/*test_mutants_*'; default: all)",
    )
    parser.add_argument("--report", action="store_true", help="do not run, only report the stored results")
    parser.add_argument(
        "--prepare",
        action="store_true",
        help="only generate the mutants and mutmut's stats (which test reaches which function), for "
        "bench/mutation_screen.py",
    )
    parser.add_argument(
        "--sample",
        type=float,
        default=None,
        metavar="FRACTION",
        help="test only this random share of each module's mutants (e.g. 0.1), to estimate the score",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of --sample (default 2026)")
    args = parser.parse_args()
    modules = expand(args.modules or RULE_MODULES)
    drawn = sample(modules, args.sample, args.seed) if args.sample else None
    if args.prepare:
        sys.exit(run_mutmut([], args.max_children, None, False, args.new_tests, prepare=True))
    exit_code = (
        0
        if args.report
        else run_mutmut(drawn or modules, args.max_children, args.max_tests, not args.no_clean_run, args.new_tests)
    )
    report(list(dict.fromkeys(module_of(m) for m in modules)), only=set(drawn) if drawn else None)
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
