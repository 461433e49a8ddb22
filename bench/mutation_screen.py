"""Test many mutants in one pytest session (by hand, never in CI): the fast half of bench/mutation.py.

    .venv/bin/python bench/mutation.py --prepare                       # mutants + mutmut's stats, no mutant run
    .venv/bin/python bench/mutation_screen.py 'finance/services*.py'   # every not yet checked mutant of these
    .venv/bin/python bench/mutation_screen.py --worker 1/2 ... &   # and --worker 2/2 ...: two at once
    .venv/bin/python bench/mutation_screen.py --survivors --max-tests 0 ...   # survivors again, every test
    .venv/bin/python bench/mutation_screen.py --merge                  # write the results into mutants/*.meta
    .venv/bin/python bench/mutation.py --report 'finance/services*.py' # the table and the survivors

mutmut tests each mutant in a fresh pytest session (a forked child that collects its tests and sets up
the test database): a few seconds per mutant before its first test runs. mutmut's trampolines read
MUTANT_UNDER_TEST at every call, so one long session can switch mutants between tests instead. Per
mutant this runs the tests that mutmut's stats run saw reaching its function, fastest first, and stops at
the first failure, as mutmut does, but takes the module's own test files first (test_<module>.py,
test_mutants_<module>.py, test_<last word>.py), then the fastest. Three guards keep it honest:

- a failure only counts as a kill when the same test passes again right after, without the mutant (a
  test that fails both ways means the session is damaged; the mutant is marked "suspect", not killed);
- transactional tests (which empty the database the others rely on) are not run here: a mutant that only
  they could kill survives the screening and is left for mutmut itself (`bench/mutation.py NAME`);
- a test that runs longer than --test-timeout seconds under a mutant is a "timeout" (not a kill).

Results go to mutants/screen/<worker>.jsonl (one line per mutant, so a stopped run keeps what it did and a
restart skips those); --merge writes them into mutmut's mutants/*.meta, with mutmut's exit codes.
Every worker needs a database of its own: DATABASE_URL defaults to regiodeal_screen<worker number>.
"""

import argparse
import json
import os
import random
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
RESULTS = MUTANTS / "screen"
sys.path.insert(0, str(ROOT / "bench"))

from mutation import RULE_MODULES, expand, results  # noqa: E402

EXIT_CODE = {"killed": 1, "survived": 0, "timeout": 36, "no tests": 33}  # mutmut's codes (mutmut/stats.py)


class MutantTimeout(Exception):
    pass


def mangled(mutant: str) -> str:
    """finance.services.x_f__mutmut_3 -> finance.services.x_f (the key of mutmut's stats)."""
    return mutant.rpartition("__mutmut_")[0]


def _near(mutant: str) -> tuple[str, ...]:
    """finance.selectors_years.x_f__mutmut_1 -> test_selectors_years, test_mutants_selectors_years, test_years."""
    stem = mutant.split(".")[1]
    return (f"test_{stem}", f"test_mutants_{stem}", f"test_{stem.rsplit('_', 1)[-1]}")


def _module(mutant: str) -> str:
    return mutant.rpartition("__mutmut_")[0].rpartition(".")[0]


def killers() -> dict[str, dict[str, int]]:
    """module -> test -> how many of its mutants that test killed in the runs so far."""
    counts: dict[str, dict[str, int]] = {}
    for path in RESULTS.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if row["status"] == "killed":
                per_test = counts.setdefault(_module(row["mutant"]), {})
                per_test[row["test"]] = per_test.get(row["test"], 0) + 1
    return counts


def screened() -> dict[str, str]:
    """mutant -> its result; a verified kill in any run stands (a later run with other tests may miss it)."""
    found: dict[str, str] = {}
    for path in sorted(RESULTS.glob("*.jsonl")):
        for line in path.read_text().splitlines():
            row = json.loads(line)
            if found.get(row["mutant"]) != "killed":
                found[row["mutant"]] = row["status"]
    return found


def mutants_to_screen(
    modules: list[str], worker: int, workers: int, recheck: bool, survivors: bool, shuffle: int | None = None
) -> list[str]:
    names = [name for module in modules for name, code in results(module).items() if recheck or code is None]
    done = screened()
    if survivors:  # only those a screening let live (survived, timeout, suspect)
        names = [n for n in names if done.get(n) in ("survived", "timeout", "suspect")]
    elif not recheck:
        names = [n for n in names if n not in done]
    names = sorted(names)
    if shuffle is not None:  # a stopped run has then tested a random sample, not the first modules only
        random.Random(shuffle).shuffle(names)
    return names[worker - 1 :: workers]


class Screen:
    """A pytest plugin that replaces the test loop by: for each mutant, its tests until one fails."""

    def __init__(self, mutants, tests_by_function, duration_by_test, max_tests, test_timeout, out):
        self.killers = killers()
        self.mutants = mutants
        self.tests_by_function = tests_by_function
        self.duration = duration_by_test
        self.max_tests = max_tests
        self.test_timeout = test_timeout
        self.out = out

    def pytest_runtestloop(self, session):
        from _pytest.runner import runtestprotocol

        items = {item.nodeid: item for item in session.items if not _transactional(item)}
        self.setupstate = session._setupstate
        self.runtestprotocol = runtestprotocol
        started = time.monotonic()
        for number, mutant in enumerate(self.mutants, 1):
            result = self.screen(mutant, items)
            self.out.write(json.dumps({"mutant": mutant, **result}) + "\n")
            self.out.flush()
            rate = number / (time.monotonic() - started) * 60
            print(f"[{number}/{len(self.mutants)} {rate:.0f}/min] {result['status']:9} {mutant}", flush=True)
        self.setupstate.teardown_exact(None)
        return True

    def screen(self, mutant: str, items: dict) -> dict:
        tests = [t for t in self.tests_by_function.get(mangled(mutant), ()) if t in items]
        near, kills = _near(mutant), self.killers.get(_module(mutant), {})
        # The tests that killed most mutants of this module so far first, then the module's own test
        # files (a URL or message mutant is caught there, not by the report tests that merely pass
        # through), then the fastest.
        tests = sorted(
            tests,
            key=lambda t: (-kills.get(t, 0), not any(n in t.split("::")[0] for n in near), self.duration.get(t, 0.0)),
        )
        tests = tests[: self.max_tests or None]
        if not tests:
            return {"status": "no tests"}
        for test in tests:
            outcome = self.run(items[test], mutant)
            if outcome == "passed":
                continue
            if outcome == "timeout":
                return {"status": "timeout", "test": test}
            if self.run(items[test], "") != "passed":
                return {"status": "suspect", "test": test}
            return {"status": "killed", "test": test}
        return {"status": "survived", "tests": len(tests)}

    def run(self, item, mutant: str) -> str:
        os.environ["MUTANT_UNDER_TEST"] = mutant
        self.setupstate.teardown_exact(item)  # leave the modules/classes the previous test needed
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(self.test_timeout)
        try:
            reports = self.runtestprotocol(item, log=False, nextitem=_Parent(item))
        except MutantTimeout:
            return "timeout"
        finally:
            signal.alarm(0)
            os.environ["MUTANT_UNDER_TEST"] = ""
        if any("MutantTimeout" in str(r.longrepr) for r in reports if r.failed):
            return "timeout"
        return "failed" if any(r.failed for r in reports) else "passed"


class _Parent:
    """Stands for "the next test is a sibling": the item's own fixtures are torn down, its module's stay."""

    def __init__(self, item):
        self.chain = item.listchain()[:-1]

    def listchain(self):
        return self.chain


def _alarm(signum, frame):
    raise MutantTimeout


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
        or item.get_closest_marker("browser")
    )


def screen(args) -> None:
    worker, workers = (int(n) for n in args.worker.split("/"))
    modules = expand(args.modules or RULE_MODULES)
    mutants = mutants_to_screen(modules, worker, workers, args.recheck, args.survivors, args.shuffle)
    stats = json.loads((MUTANTS / "mutmut-stats.json").read_text())
    tests_by_function = stats["tests_by_mangled_function_name"]
    duration = stats["duration_by_test"]
    files = sorted({t.split("::")[0] for m in mutants for t in tests_by_function.get(mangled(m), ())})
    print(f"worker {worker}/{workers}: {len(mutants)} mutants, {len(files)} test files", flush=True)
    if not mutants:
        return
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/regiodeal_screen{worker}")
    os.environ["MUTANT_UNDER_TEST"] = ""
    os.environ["PY_IGNORE_IMPORTMISMATCH"] = "1"
    RESULTS.mkdir(exist_ok=True)
    os.chdir(MUTANTS)
    sys.path.insert(0, str(MUTANTS))
    import pytest

    with open(RESULTS / f"{args.name or worker}.jsonl", "a", encoding="utf-8") as out:
        plugin = Screen(mutants, tests_by_function, duration, args.max_tests, args.test_timeout, out)
        pytest.main(
            ["--rootdir=.", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "--reuse-db", "-m", "not browser"]
            + files,
            plugins=[plugin],
        )


def merge() -> None:
    """Write the screening's results into mutmut's own result files (killed, survived, timeout, no tests)."""
    found = screened()
    for meta in MUTANTS.rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        for name in codes:
            if found.get(name) in EXIT_CODE:
                codes[name] = EXIT_CODE[found[name]]
        meta.write_text(json.dumps(data, indent=4))
    suspect = sorted(name for name, status in found.items() if status == "suspect")
    print(f"merged {len(found)} results; suspect (left unchecked): {len(suspect)}")
    for name in suspect:
        print("   ", name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="rule modules (globs) as in bench/mutation.py; default: all")
    parser.add_argument("--worker", default="1/1", help="K/N: this is worker K of N (each takes every N-th mutant)")
    parser.add_argument("--max-tests", type=int, default=150, help="at most this many (fastest) tests per mutant")
    parser.add_argument("--test-timeout", type=int, default=60, help="seconds one test may take under a mutant")
    parser.add_argument("--recheck", action="store_true", help="also mutants that already have a result")
    parser.add_argument("--shuffle", type=int, default=None, metavar="SEED", help="test the mutants in random order")
    parser.add_argument("--name", default="", help="the results file's name (default: the worker number)")
    parser.add_argument("--survivors", action="store_true", help="only the mutants a screening let live, again")
    parser.add_argument("--merge", action="store_true", help="write the results into mutants/*.meta and stop")
    args = parser.parse_args()
    merge() if args.merge else screen(args)


if __name__ == "__main__":
    main()
