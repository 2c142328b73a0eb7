"""Start-up time of the ``plecak`` process (issue 17): ``plecak --help`` and ``plecak verify`` of
one small credential, each as a whole process (interpreter start, imports, work, exit).

    PLECAK_CONFORMANCE=../shared/conformance PLECAK_CONTEXTS=../shared/contexts \\
        .venv/bin/python tests/bench/bench_start.py [--repeat 10] [--file CREDENTIAL]

Prints the best and the median wall-clock time of ``--repeat`` runs of each (best is what the code
costs; the median shows how busy the machine was) and the best CPU time (user + system, which a
busy shared machine disturbs less), and the ten slowest imports of one ``verify`` run
(``python -X importtime``).  Targets: ``--help`` < 0.15 s, ``verify`` < 0.25 s (best of 10).
The verification runs ``--offline`` against the shipped contexts, so no network is involved.

Byte-code: an installed plecak runs from compiled ``.pyc`` files (pip compiles a wheel's modules
when it installs it), but a shell with ``PYTHONDONTWRITEBYTECODE=1`` (as on the shared machine)
recompiles every module of the source tree on each run, which costs more than most imports.  So
the runs here use a byte-code cache of their own in a temporary folder (``PYTHONPYCACHEPREFIX``,
nothing written beside the sources), filled by one warm-up run; ``--no-bytecode-cache`` measures
the recompiling start instead.

A shared machine's speed drifts (the same code measured 0.23 s and 0.29 s an hour apart), so a
change is best judged against the code before it in the same run: ``--against DIR`` times another
checkout (``git worktree add ../before <commit>``) with the same interpreter, alternating runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DEFAULT = "ob3/fixtures/dcc-vc-test-fixtures/v1/bothSignatureTypes/didKey/noRegistry-noStatus-noExpiry.json"
"""A 2.5 kB OB 3.0 credential with an eddsa-rdfc-2022 proof by a did:key (valid offline)."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    args: list[str], repeat: int, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run (in ``cwd``: ``python -m`` finds
    the package of the folder it starts in first)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(
            args, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd
        )
        wall.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
        if done.returncode not in (0, 1):  # 1: the credential is not valid, still a full run
            raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr.decode()}")
    return wall, cpu


def slowest_imports(
    args: list[str], count: int = 10, env: dict[str, str] | None = None
) -> list[tuple[int, str]]:
    """(cumulative µs, module) of the top-level imports of one run, slowest first."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args[1:]],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--file", help="the credential to verify (default: a small OB 3.0 one)")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="recompile every module on each run"
    )
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="another checkout of plecak (e.g. a git worktree of an older commit), timed in the same"
        " run with the same interpreter, its runs alternating with these",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plecak-pyc-") as cache:
        env = dict(os.environ)
        if not options.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
        measure(options, env)


def _report(label: str, wall: list[float], cpu: list[float]) -> None:
    print(
        f"{label:30} best {min(wall):.3f} s  median {statistics.median(wall):.3f} s"
        f"  cpu best {min(cpu):.3f} s  ({len(wall)} runs)"
    )


def measure(options: argparse.Namespace, env: dict[str, str]) -> None:
    corpus = Path(os.environ.get("PLECAK_CONFORMANCE", "../shared/conformance"))
    credential = str(Path(options.file or corpus / DEFAULT).resolve())
    plecak = [sys.executable, "-m", "wallet"]
    runs = {
        "plecak --help": [*plecak, "--help"],
        "plecak --offline verify FILE": [*plecak, "--offline", "verify", credential],
    }
    that = Path(options.against).resolve() if options.against else None
    for label, args in runs.items():
        timed(args, 1, env, ROOT)  # warm-up: fills the byte-code cache and the file system's
        if that is None:
            wall, cpu = timed(args, options.repeat, env, ROOT)
            _report(label, wall, cpu)
            continue
        timed(args, 1, env, that)
        wall, cpu = [], []
        other_wall: list[float] = []
        other_cpu: list[float] = []
        for _ in range(options.repeat):  # alternating, so both meet the same machine
            for folder, walls, cpus in ((ROOT, wall, cpu), (that, other_wall, other_cpu)):
                one_wall, one_cpu = timed(args, 1, env, folder)
                walls.extend(one_wall)
                cpus.extend(one_cpu)
        _report(label, wall, cpu)
        _report(f"  {options.against}", other_wall, other_cpu)
        print(f"  {'ratio this / that (best)':28} {min(wall) / min(other_wall):.2f}")
    print("slowest top-level imports of one verify run (cumulative):")
    for micros, name in slowest_imports(runs["plecak --offline verify FILE"], env=env):
        print(f"  {micros / 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
