"""Compile crackdown's hot modules with mypyc, in place (``make setup`` runs it).

    python native.py ensure  # build, unless the build in place is of the sources now (make setup)
    python native.py build   # compile pipeline.compiled.MODULES beside their sources
    python native.py clean   # remove what build made: the source runs again

A build that fails (no C compiler, a module mypyc refuses) leaves nothing compiled and
exits 0 with a note, so setup never fails for it: the pipeline then runs its source
(and ``ensure`` does not try again until a source changes).
The modules are listed in pipeline/compiled.py, whose import-time check imports the
source in place of a build made from other sources than the package holds.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _compiled_module():  # type: ignore[no-untyped-def]
    """pipeline/compiled.py on its own (importing the package would import what is compiled)."""
    spec = importlib.util.spec_from_file_location("crackdown_compiled", ROOT / "pipeline" / "compiled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def clean(compiled) -> None:  # type: ignore[no-untyped-def]
    for path in compiled.compiled_files():
        path.unlink(missing_ok=True)
    compiled.MANIFEST.unlink(missing_ok=True)


def _failed(compiled, why: str) -> int:  # type: ignore[no-untyped-def]
    """Leave the source to run, and remember why for these sources (``ensure`` tries again after a change)."""
    clean(compiled)
    compiled.MANIFEST.write_text(json.dumps({**compiled.manifest(), "failed": why}, indent=1) + "\n",
                                 encoding="utf-8")
    print(f"native.py: {why}; the pipeline runs its source")
    return 0


def ensure(compiled) -> int:  # type: ignore[no-untyped-def]
    """Build unless the manifest is of the sources now (built, or failed for them)."""
    built = compiled.built()
    if built is not None and {k: v for k, v in built.items() if k != "failed"} == compiled.manifest() \
            and ("failed" in built or compiled.compiled_files()):
        return 0
    return build(compiled)


def build(compiled) -> int:  # type: ignore[no-untyped-def]
    clean(compiled)
    try:
        from mypyc.build import mypycify
        from setuptools import Distribution
    except ImportError as exc:
        return _failed(compiled, f"mypyc is not installed ({exc})")
    paths = [str(Path("pipeline") / name) for name in compiled.MODULES]
    built = compiled.manifest()  # of the sources as mypyc reads them: an edit during the build shows as stale
    temp = tempfile.mkdtemp(prefix="crackdown-native-")
    os.chdir(ROOT)  # mypy reads its options from pyproject.toml here
    try:
        # the build's own Distribution: setup() would validate pyproject.toml with this venv's setuptools
        modules = mypycify(paths, opt_level="3", group_name=compiled.GROUP, target_dir=str(Path(temp) / "c"))
        dist = Distribution({"name": "crackdown-native", "ext_modules": modules})
        dist.script_name = "native.py"
        dist.script_args = ["--quiet", "build_ext", "--inplace", "--build-temp", str(Path(temp) / "build"),
                            "--build-lib", str(Path(temp) / "lib")]
        dist.parse_command_line()
        dist.run_commands()
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure leaves the source to run
        return _failed(compiled, f"compiling failed ({type(exc).__name__}: {exc})")
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    compiled.MANIFEST.write_text(json.dumps(built, indent=1) + "\n", encoding="utf-8")
    print(f"native.py: compiled {len(paths)} modules with mypyc")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("ensure", "build", "clean"):
        print("usage: python native.py ensure|build|clean (ensure: build unless built from these sources)",
              file=sys.stderr)
        return 1
    compiled = _compiled_module()
    if argv[0] == "clean":
        clean(compiled)
        return 0
    return ensure(compiled) if argv[0] == "ensure" else build(compiled)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
