"""The compiled modules (pipeline/compiled.py, native.py): never an old build of edited code."""

from __future__ import annotations

import importlib
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
    monkeypatch.setattr(compiled, "NAME", tmp_path.name)
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))  # the finder check installs goes with the test
    return tmp_path


def test_a_build_of_the_sources_in_place_is_kept(package: Path) -> None:
    compiled.MANIFEST.write_text(json.dumps(compiled.manifest()), encoding="utf-8")
    compiled.check()
    assert len(compiled.compiled_files()) == 3


@pytest.mark.parametrize("edit", ["source", "dependency", "stray build", "manifest", "no manifest"])
def test_a_build_of_other_sources_gives_way_to_the_source_with_a_warning(package: Path, edit: str) -> None:
    compiled.MANIFEST.write_text(json.dumps(compiled.manifest()), encoding="utf-8")
    modules = {f"{package.name}.kind": package / "kind.py",
               f"{package.name}.grammar.en.view": package / "grammar/en/view.py"}
    if edit == "source":
        (package / "grammar/en/view.py").write_text("# edited\n", encoding="utf-8")
    elif edit == "dependency":  # the compiled modules read its types
        (package / "rules.py").write_text("# edited\n", encoding="utf-8")
    elif edit == "stray build":  # a module compiled by another list (another commit), still imported first
        (package / "topic.py").write_text("# topic\n", encoding="utf-8")
        (package / "topic.cpython-311-x86_64-linux-gnu.so").write_bytes(b"")
        modules[f"{package.name}.topic"] = package / "topic.py"
        compiled.MANIFEST.write_text(json.dumps({**compiled.manifest(), "group": "other"}), encoding="utf-8")
    elif edit == "manifest":
        compiled.MANIFEST.write_text("{not json", encoding="utf-8")
    else:
        compiled.MANIFEST.unlink()
    files = compiled.compiled_files()
    with pytest.warns(UserWarning, match=r"\[W012\].*source runs instead.*make setup") as caught:
        finder = compiled.check()
    assert finder is not None and sys.meta_path[0] is finder
    assert finder.sources == modules  # every module with a build, not the group's library
    assert compiled.compiled_files() == files  # nothing removed: a read-only checkout imports as well
    if edit == "source":
        assert "grammar/en/view.py" in str(caught[0].message) and "kind.py" not in str(caught[0].message)


def test_the_source_is_imported_where_a_stale_build_sits_beside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real import: Python's finder would load the (here broken) build; the check's finder loads the source."""
    package = tmp_path / "stalepkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "mod.py").write_text("WHERE = 'source'\n", encoding="utf-8")
    (package / "mod.cpython-311-x86_64-linux-gnu.so").write_bytes(b"not a shared library")
    monkeypatch.setattr(compiled, "PACKAGE", package)
    monkeypatch.setattr(compiled, "NAME", "stalepkg")
    monkeypatch.setattr(compiled, "MANIFEST", package / "native.json")
    monkeypatch.setattr(compiled, "MODULES", ("mod.py",))
    monkeypatch.setattr(compiled, "DEPENDS", ())
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("stalepkg", "stalepkg.mod"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    if sys.implementation.cache_tag == "cpython-311":  # the build is what Python's finder takes
        with pytest.raises(ImportError):
            importlib.import_module("stalepkg.mod")
        monkeypatch.delitem(sys.modules, "stalepkg.mod", raising=False)
    with pytest.warns(UserWarning, match=r"\[W012\]"):
        compiled.check()
    assert importlib.import_module("stalepkg.mod").WHERE == "source"


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
