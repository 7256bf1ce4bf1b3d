"""The modules compiled to C with mypyc where the machine can (``make setup`` runs native.py).

They are the pure-Python modules a document's time goes to (event assembly, attribution,
the English grammars). mypyc compiles the type-annotated source as it is, so there is one source
and the same outputs; a compiled module (``kind.cpython-311-x86_64-linux-gnu.so`` beside
``kind.py``) is imported in place of its source. Where nothing is compiled (no C compiler,
another Python), the source runs, only slower.

``check`` runs first thing in ``pipeline/__init__``: when a source, or a module whose types
they read (``DEPENDS``), has changed since they were compiled, every compiled module in
the package is removed, with a warning, so edited code is never shadowed by an old build.
"""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
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


def check() -> None:
    """Remove compiled modules built from other sources than the package now holds (W012)."""
    files = compiled_files()
    if not files:
        return
    found = built()
    if found == manifest():
        return
    from .errors import Warnings  # here: native.py reads this module without the package
    sources = found.get("sources") if found is not None else None
    was = sources if isinstance(sources, dict) else {}
    changed = sorted(name for name, digest in source_hashes().items() if was.get(name) != digest)
    for path in files:
        path.unlink(missing_ok=True)
    MANIFEST.unlink(missing_ok=True)
    warnings.warn(Warnings.W012.format(changed=", ".join(changed) or "the manifest"), stacklevel=2)
