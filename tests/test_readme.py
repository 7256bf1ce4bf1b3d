"""The README's examples run, so they cannot drift from the code.

Every fenced ``bash`` and ``python`` block of README.md runs against the bundled
sample in a folder laid out like the repository (bash as a script, python in this
process), unless its info string marks it ``illustrative`` (a synopsis with
placeholders, or ``make test`` itself).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline.corpus import RunConfig, run_corpus

from .helpers import ROOT

RUNNABLE = ("bash", "python")
ILLUSTRATIVE = "illustrative"


@dataclass(frozen=True)
class Example:
    line: int
    lang: str
    flags: tuple[str, ...]
    code: str

    @property
    def runs(self) -> bool:
        return self.lang in RUNNABLE and ILLUSTRATIVE not in self.flags


def examples() -> list[Example]:
    """Every fenced block of README.md with its language, flags and first line."""
    tokens = MarkdownIt("commonmark").parse((ROOT / "README.md").read_text(encoding="utf-8"))
    found = []
    for token in tokens:
        if token.type == "fence" and token.map is not None:
            lang, *flags = token.info.split() or [""]
            found.append(Example(token.map[0] + 1, lang, tuple(flags), token.content))
    return found


EXAMPLES = [e for e in examples() if e.runs]


def _id(example: Example) -> str:
    return f"README.md:{example.line}"


@pytest.fixture(scope="module")
def readme_dir(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Path:
    """A folder with the repository's data and rules (linked) and the output of `make run`."""
    root = tmp_path_factory.mktemp("readme")
    for name in ("data", "configs", "tests"):
        (root / name).symlink_to(ROOT / name)
    run_corpus([root / "data" / "sample" / "news.jsonl"], RunConfig(output=root / "out", workers=1,
                                                                     model=str(model_dir)))
    return root


@pytest.fixture
def env(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CRACKDOWN_MODEL", str(model_dir))  # the pipeline built from configs/ for the tests
    monkeypatch.setenv("MPLBACKEND", "Agg")
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def test_examples_are_run_or_marked() -> None:
    """Each python and bash block either runs here or says it is illustrative; the README's
    own commands (issue 15: `rules check --gold data/gold/*.jsonl` failed) are among those run."""
    blocks = examples()
    assert {e.lang for e in blocks if ILLUSTRATIVE in e.flags} <= set(RUNNABLE)
    assert len([e for e in EXAMPLES if e.lang == "python"]) >= 2
    commands = "\n".join(e.code for e in EXAMPLES if e.lang == "bash")
    for command in ("crackdown run ", "crackdown extract ", "crackdown rules check --gold data/gold/*.jsonl"):
        assert command in commands


@pytest.mark.slow
@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.lang == "bash"], ids=_id)
def test_bash_example(example: Example, readme_dir: Path, env: dict[str, str]) -> None:
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", example.code], cwd=readme_dir, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "error:" not in result.stderr and "warning:" not in result.stderr, result.stderr


@pytest.mark.parametrize("example", [e for e in EXAMPLES if e.lang == "python"], ids=_id)
def test_python_example(example: Example, readme_dir: Path, env: dict[str, str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(readme_dir)
    exec(compile(example.code, f"README.md:{example.line}", "exec"), {"__name__": "readme"})  # noqa: S102
