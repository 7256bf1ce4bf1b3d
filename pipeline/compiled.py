"""The modules compiled to C with mypyc where the machine can (``make setup`` runs native.py).

They are the pure-Python modules a document's time goes to (event assembly, attribution,
the English grammars). mypyc compiles the type-annotated source as it is, so there is one source
and the same outputs; a compiled module (``kind.cpython-311-x86_64-linux-gnu.so`` beside
``kind.py``) is imported in place of its source. Where nothing is compiled (no C compiler,
another Python), the source runs, only slower.

``check`` runs first thing in ``pipeline/__init__``: when a source, or a module whose types
they read (``DEPENDS``), has changed since they were compiled, every module with a build
in the package is imported from its source instead (``SourceFirst``), with a warning, so
edited code is never shadowed by an old build. Nothing is removed at import: a read-only
checkout, or a build in progress in another process, is left as it is (``native.py``
replaces the build).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent
NAME = "pipeline"  # the package's import name
MANIFEST = PACKAGE / "native.json"  # what was compiled, from which sources (written by native.py)
GROUP = "pipeline.native"  # mypyc's group: its shared library is pipeline/native__mypyc.*.so

# in the package, by path; each compiles only if mypyc accepts it (tests/test_compiled.py)
MODULES = (
    "attribution.py",
    "cues.py",
    "events.py",
    "extensions.py",
    "factindex.py",
    "factparts.py",
    "facts.py",
    "kind.py",
    "lexicon.py",
    "topic.py",
    "typetable.py",
    "grammar/firsts.py",
    "grammar/periods.py",
    "grammar/ranges.py",
    "grammar/text.py",
    "grammar/trie.py",
    "grammar/en/dates.py",
    "grammar/en/facts.py",
    "grammar/en/items.py",
    "grammar/en/nouns.py",
    "grammar/en/operations.py",
    "grammar/en/predicates.py",
    "grammar/en/quantities.py",
    "grammar/en/sources.py",
    "grammar/en/view.py",
)


# modules the compiled ones import types from: compiled code checks values against the types
# it was compiled with, so a change to them needs a new build too
DEPENDS = ("errors.py", "normalize.py", "rules.py", "schema.py", "shared.py")


def source_hashes() -> dict[str, str]:
    """The sha256 of each compiled module's source and of each module in ``DEPENDS``, by path."""
    return {name: hashlib.sha256((PACKAGE / name).read_bytes()).hexdigest() for name in MODULES + DEPENDS}


def compiled_files() -> list[Path]:
    """Every compiled module in the package now (also one left by a build of another list or
    another commit: a compiled module is imported before its source, whoever built it)."""
    return sorted({*PACKAGE.rglob("*.cpython-*.so"), *PACKAGE.rglob("*__mypyc*.so")})


def manifest() -> dict[str, object]:
    """What native.py writes beside a build and ``check`` compares with."""
    return {"python": sys.implementation.cache_tag, "group": GROUP, "sources": source_hashes()}


def built() -> dict[str, object] | None:
    """The manifest of the build in place (None when there is none or it cannot be read)."""
    try:
        found = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def active() -> bool:
    """Whether this process runs compiled modules (the event assembler's, say)."""
    from . import kind

    return not str(kind.__file__).endswith(".py")


class SourceFirst(importlib.abc.MetaPathFinder):
    """Imports the given modules of the package from their source files, not from a build
    beside them (Python's own finder takes a compiled module before its source)."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        source = self.sources.get(fullname)
        return None if source is None else importlib.util.spec_from_file_location(fullname, source)


def sources_of(files: list[Path]) -> dict[str, Path]:
    """The module name and source file of each compiled file that has a source (the group's
    shared library has none)."""
    found = {}
    for path in files:
        relative = path.relative_to(PACKAGE)
        stem = relative.name.split(".", 1)[0]
        source = PACKAGE / relative.parent / f"{stem}.py"
        if source.exists():
            found[".".join((NAME, *relative.parent.parts, stem))] = source
    return found


def check() -> SourceFirst | None:
    """Where the compiled modules were built from other sources than the package now holds,
    import every module with a build from its source (W012); return the finder installed."""
    files = compiled_files()
    if not files:
        return None
    found = built()
    if found == manifest():
        return None
    from .errors import Warnings  # here: native.py reads this module without the package
    sources = found.get("sources") if found is not None else None
    was = sources if isinstance(sources, dict) else {}
    changed = sorted(name for name, digest in source_hashes().items() if was.get(name) != digest)
    finder = SourceFirst(sources_of(files))
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, SourceFirst)]  # one, if imported again
    sys.meta_path.insert(0, finder)
    warnings.warn(Warnings.W012.format(changed=", ".join(changed) or "the manifest"), stacklevel=2)
    return finder
