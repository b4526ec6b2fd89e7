"""The long mode of tests/test_fuzz_commands.py: many more hostile input files for split and settle.

Prints how many files each fuzz test tried and how long it took; exits non-zero if any file made a
command crash (a traceback) instead of answering with a sentence.

    .venv/bin/python bench/fuzz_commands.py [--examples N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=1000, help="files per fuzz test (default 1000)")
    args = parser.parse_args()
    env = {**os.environ, "FUZZ_EXAMPLES": str(args.examples), "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--hypothesis-show-statistics", "tests/test_fuzz_commands.py"],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    test = ""
    for line in done.stdout.splitlines():
        if line.startswith("tests/") and line.endswith(":"):
            test = line.rsplit("::", 1)[-1].rstrip(":")
        elif "passing," in line and test:
            print(f"  {test:28} {line.strip().removeprefix('- ')}")
        elif line.startswith("FAILED"):
            print(line)
    print(f"fuzz of the commands' input files: {args.examples} examples per test, {elapsed:.1f} s, "
          f"{'PASS' if done.returncode == 0 else 'FAIL'}")
    if done.returncode != 0:
        print(done.stdout[-4000:], file=sys.stderr)
    return done.returncode


if __name__ == "__main__":
    raise SystemExit(main())
