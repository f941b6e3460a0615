"""Benchmark: the adversarial corpus against its targets (tests/unit/hostile_files.py).

Each file is read in a fresh CPython process exactly as the unit test does (address-space limit,
pypdf imported before the clock starts), one after another on this machine, and compared with its
target: done within 10 s and under 1 GB peak. The unit test only guards against hangs (three times
the target); this prints the numbers: wall seconds (the target) and CPU seconds (what a loaded
machine's wall time does not show). Prints JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.hostile_files import CORPUS  # noqa: E402
from tests.unit.test_hostile_files import PEAK_BYTES, SECONDS, read_in_child  # noqa: E402


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for hostile in CORPUS:
            path = Path(folder) / hostile.filename
            path.write_bytes(hostile.build())
            result = read_in_child(path, hostile.filename)
            path.unlink()
            rows.append({
                "file": hostile.name,
                "kind": result["kind"],
                "seconds": round(result["seconds"], 2),
                "cpu_s": round(result["cpu"], 2),
                "target_s": SECONDS,
                "peak_mb": round(result["peak"] / 2**20, 1),
                "within_target": result["seconds"] < SECONDS and result["peak"] < PEAK_BYTES,
            })
    missed = [r["file"] for r in rows if not r["within_target"]]
    print(json.dumps({"files": len(rows), "missed": missed, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
