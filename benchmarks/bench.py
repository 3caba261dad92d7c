"""Speed figures for adflow, measured side by side in one run.

Prints each figure with its goal and the ratio. Inputs are generated here.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADFLOW = Path(sys.executable).with_name("adflow")


def cpu_time(cmd: list[str], runs: int = 7) -> float:
    """Median user+system CPU seconds of a command (children's rusage)."""
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)


def lead_form_file(steps: int) -> str:
    lines = ["api v25.0", "account act_1", "page p 1", "",
             "lead_form big on p {", '  template_name "Big"',
             '  privacy_url "https://example.com/privacy"', '  reminder "Still there?"',
             '  intro "Hi!" -> q0']
    for i in range(steps):
        nxt = f"q{i + 1}" if i + 1 < steps else "done"
        lines += [f'  question q{i} "Question number {i}?" {{',
                  f'    "Yes" -> {nxt}', f'    "No" -> {nxt}', "  }"]
    lines += ['  confirmation done "Thanks!"', "}", ""]
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp, "form200.adflow")
        small.write_text(lead_form_file(47))  # ~200 lines
        env = dict(os.environ)
        baseline = cpu_time([sys.executable, "-c", "pass"])
        cold = cpu_time([str(ADFLOW), "check", str(small)])
        lines = small.read_text().count("\n")
        print(f"python -c pass                    {baseline * 1000:7.1f} ms CPU")
        print(f"adflow check, {lines}-line file     {cold * 1000:7.1f} ms CPU  "
              f"goal <= 6x python   ratio {cold / baseline:.1f}x")
        del env
    return 0


if __name__ == "__main__":
    sys.exit(main())
