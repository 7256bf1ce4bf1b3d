"""The compiled modules (pipeline/compiled.py, native.py): never an old build of edited code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import compiled

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A package with two of the compiled modules' sources, each with a (fake) build beside it."""
    (tmp_path / "rules.py").write_text("# rules\n", encoding="utf-8")
    for name in ("kind.py", "grammar/en/view.py"):
        source = tmp_path / name
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(f"# {name}\n", encoding="utf-8")
        (source.parent / f"{source.stem}.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    (tmp_path / "native__mypyc.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
    monkeypatch.setattr(compiled, "PACKAGE", tmp_path)
    monkeypatch.setattr(compiled, "MANIFEST", tmp_path / "native.json")
    monkeypatch.setattr(compiled, "MODULES", ("kind.py", "grammar/en/view.py"))
    monkeypatch.setattr(compiled, "DEPENDS", ("rules.py",))
    return tmp_path


def test_a_build_of_the_sources_in_place_is_kept(package: Path) -> None:
    compiled.MANIFEST.write_text(json.dumps(compiled.manifest()), encoding="utf-8")
    compiled.check()
    assert len(compiled.compiled_files()) == 3


@pytest.mark.parametrize("edit", ["source", "dependency", "stray build", "manifest", "no manifest"])
def test_a_build_of_other_sources_is_removed_with_a_warning(package: Path, edit: str) -> None:
    compiled.MANIFEST.write_text(json.dumps(compiled.manifest()), encoding="utf-8")
    if edit == "source":
        (package / "grammar/en/view.py").write_text("# edited\n", encoding="utf-8")
    elif edit == "dependency":  # the compiled modules read its types
        (package / "rules.py").write_text("# edited\n", encoding="utf-8")
    elif edit == "stray build":  # a module compiled by another list (another commit), still imported first
        (package / "topic.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
        compiled.MANIFEST.write_text(json.dumps({**compiled.manifest(), "group": "other"}), encoding="utf-8")
    elif edit == "manifest":
        compiled.MANIFEST.write_text("{not json", encoding="utf-8")
    else:
        compiled.MANIFEST.unlink()
    with pytest.warns(UserWarning, match=r"\[W012\].*make setup") as caught:
        compiled.check()
    assert compiled.compiled_files() == [] and not compiled.MANIFEST.exists()
    if edit == "source":
        assert "grammar/en/view.py" in str(caught[0].message) and "kind.py" not in str(caught[0].message)


def test_nothing_compiled_is_nothing_to_check(package: Path) -> None:
    for path in compiled.compiled_files():
        path.unlink()
    compiled.check()  # no warning, no manifest needed
    assert not compiled.MANIFEST.exists()


def test_the_build_in_place_is_the_one_in_use() -> None:
    """Where setup compiled the modules (its manifest has no failure), the tests run them."""
    try:
        built = json.loads(compiled.MANIFEST.read_text(encoding="utf-8"))
    except OSError:
        pytest.skip("nothing compiled here (make setup with NATIVE=0)")
    if "failed" in built:
        pytest.skip(f"compiling failed on this machine: {built['failed']}")
    assert built == compiled.manifest()
    assert compiled.active()


def test_native_usage_error_exits_1_with_a_hint() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "native.py"), "compile"], capture_output=True, text=True)
    assert done.returncode == 1 and "usage: python native.py ensure|build|clean" in done.stderr
