"""Every code block of the README runs.

``python`` blocks run as scripts and ``bash`` blocks line by line, each in a
fresh folder. Set-up blocks (``make ...``, ``pip install``, ``conda``) are the
ones CI itself runs (``.ci/run`` is ``make test``; ``make demo`` is
``asteroid-openmm demo``, run by test_demo.py), so they are not run again here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
SETUP_COMMANDS = ("make ", "pip ", "conda ")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README.read_text(), flags=re.S)


def _lines(code: str) -> list[str]:
    return code.replace("\\\n", " ").strip().splitlines()


def _is_setup(lang: str, code: str) -> bool:
    return lang == "bash" and all(line.startswith(SETUP_COMMANDS) for line in _lines(code))


RUNNABLE = [i for i, (lang, code) in enumerate(BLOCKS) if lang in ("python", "bash") and not _is_setup(lang, code)]


def test_readme_blocks_are_classified():
    assert {lang for lang, _ in BLOCKS} <= {"python", "bash", "text"}, "unknown README code block language"
    setup = [line for lang, code in BLOCKS if _is_setup(lang, code) for line in _lines(code)]
    assert any(line.startswith("make demo") for line in setup) and any(line.startswith("make test") for line in setup)
    assert len(RUNNABLE) >= 2


@pytest.mark.parametrize("index", RUNNABLE)
def test_readme_block_runs(index, tmp_path):
    lang, code = BLOCKS[index]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "OMP_NUM_THREADS": "1"}
    if lang == "python":
        r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    else:
        r = subprocess.run(["bash", "-e", "-c", "\n".join(_lines(code))], cwd=tmp_path, capture_output=True,
                           text=True, env=env)
    assert r.returncode == 0, f"README block {index} failed:\n{code}\n--- stderr ---\n{r.stderr[-3000:]}"
