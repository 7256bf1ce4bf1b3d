"""The output folder of a corpus run: the user's data, so checked, locked and kept consistent.

- ``open_folder`` makes the folder (or says in one line why it cannot) and takes an
  exclusive lock on it for the run: a second run into the same folder is refused
  with the pid of the first, instead of both writing the same files. The lock is
  ``flock`` on ``DIR/.crackdown.lock``, which the kernel releases when the process
  ends however it ends, so a killed run never leaves a stale lock.
- Under the lock, temporary files left by a killed run are removed.
- ``prepare_shards`` checks, before ``--resume`` reuses a single shard, that the
  earlier run had the same pipeline, shard size, read options and inputs (sha256
  of each file), as the manifest records them.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import srsly

from .errors import Errors, InputError, OutputError
from .outputs import write_json
from .sources import text_files

LOCK_FILE = ".crackdown.lock"
SHARD_DIR = "shards"
MARKER = "pipeline.json"


@contextmanager
def open_folder(output: Path) -> Iterator[Path]:
    """Make ``output`` if needed and hold its lock while the block runs."""
    if output.exists() and not output.is_dir():
        raise OutputError(Errors.E075.format(path=output))
    try:
        output.mkdir(parents=True, exist_ok=True)
        fd = os.open(output / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(Errors.E076.format(path=output, detail=exc.strerror or exc)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise OutputError(Errors.E077.format(path=output, pid=holder)) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as exc:  # a full disk, say: the lock holds all the same
            if not os.access(output, os.W_OK):
                raise OutputError(Errors.E076.format(path=output, detail=exc.strerror or exc)) from None
        remove_temporary(output)
        try:
            yield output
        finally:  # a worker stopped mid-write leaves its part file's temporary version
            with contextlib.suppress(OSError):
                remove_temporary(output)
    finally:
        os.close(fd)


def remove_temporary(output: Path) -> list[Path]:
    """Delete the ``*.tmp`` files a stopped or killed run left in ``output`` (under its lock)."""
    found = list(output.glob("*.tmp"))
    shards = output / SHARD_DIR
    if shards.is_dir():
        found += shards.rglob("*.tmp")
    for path in found:
        path.unlink(missing_ok=True)
    return found


def input_files(paths: Sequence["str | Path"]) -> list[dict[str, Any]]:
    """Each input file with its size and sha256 (a folder's .txt files one by one)."""
    out = []
    for raw in paths:
        path = Path(raw)
        files = [p for p in text_files(path) if isinstance(p, Path)] if path.is_dir() else [path]
        for file in files:
            digest = hashlib.sha256()
            try:
                with open(file, "rb") as handle:
                    for block in iter(lambda: handle.read(1 << 20), b""):  # noqa: B023 - used at once
                        digest.update(block)
                out.append({"path": str(file), "size": file.stat().st_size, "sha256": digest.hexdigest()})
            except OSError as exc:
                out.append({"path": str(file), "error": exc.strerror or str(exc)})
    return out


def prepare_shards(output: Path, identity: dict[str, Any], resume: bool) -> None:
    """Check (``resume``) or reset the shards folder, then record what this run is."""
    marker = output / SHARD_DIR / MARKER
    if resume and marker.exists():
        found = srsly.read_json(marker)
        if (found.get("rules_hash"), found.get("shard_size")) != (identity["rules_hash"], identity["shard_size"]):
            raise InputError(Errors.E032.format(
                path=output, found=f"{found.get('rules_hash')}/{found.get('shard_size')}",
                expected=f"{identity['rules_hash']}/{identity['shard_size']}"))
        changed = _differences(found, identity)
        if changed:
            raise InputError(Errors.E078.format(path=output, what="; ".join(changed)))
    if not resume:
        root = output / SHARD_DIR
        if root.exists():
            for path in sorted(root.rglob("part-*")):
                path.unlink()
        (output / "manifest.json").unlink(missing_ok=True)
    (output / SHARD_DIR).mkdir(parents=True, exist_ok=True)
    write_json(marker, identity)


def _differences(found: dict[str, Any], identity: dict[str, Any]) -> list[str]:
    """What makes an earlier run's shards wrong for this one, said for a user."""
    out = []
    if found.get("read") != identity["read"]:
        out.append(f"read options {found.get('read')} then, {identity['read']} now")
    before = [(f["path"], f.get("sha256")) for f in found.get("inputs", [])]
    now = [(f["path"], f.get("sha256")) for f in identity["inputs"]]
    if [digest for _, digest in before] != [digest for _, digest in now]:  # a moved file is the same input
        for i in range(max(len(before), len(now))):
            then = before[i] if i < len(before) else None
            current = now[i] if i < len(now) else None
            if then is None and current is not None:
                out.append(f"{current[0]} is new")
            elif current is None and then is not None:
                out.append(f"{then[0]} is no longer an input")
            elif then is not None and current is not None and then[1] != current[1]:
                out.append(f"{current[0]} changed (sha256 {str(then[1])[:12]} then, {str(current[1])[:12]} now)")
    return out[:5] + ([f"and {len(out) - 5} more"] if len(out) > 5 else [])
