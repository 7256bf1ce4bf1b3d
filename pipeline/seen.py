"""The ids and texts a corpus run has met, kept on disk.

Finding duplicate ids and duplicate texts means remembering every document read.
In a dict that costs the calling process about 280 bytes a document (280 MB per
million documents); in a SQLite file beside the shards it costs about 140 bytes of
disk, a few MB of memory whatever the corpus, and about 10 µs a document. SQLite
is the standard library's keyed store, so there is no index written by hand.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def text_key(text: str) -> int:
    """A 64-bit hash of a text (signed, as SQLite stores integers)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


class SeenIndex:
    """Ids and text hashes met so far, in a scratch SQLite file removed by ``close``."""

    def __init__(self, path: Path):
        self.path = path
        path.unlink(missing_ok=True)  # left by a run that was killed: this run reads everything again
        self._db = sqlite3.connect(path, isolation_level=None)
        # Scratch data for one run: no journal, no syncs, one transaction.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE ids (id TEXT PRIMARY KEY, source TEXT, line INTEGER) WITHOUT ROWID")
        self._db.execute("CREATE TABLE texts (key INTEGER PRIMARY KEY, id TEXT NOT NULL)")
        self._db.execute("BEGIN")

    def add_id(self, doc_id: str, source: str, line: int) -> tuple[str, int] | None:
        """Remember ``doc_id``; if it was met before, return where it was first (and keep that)."""
        if self._db.execute("INSERT OR IGNORE INTO ids VALUES (?, ?, ?)", (doc_id, source, line)).rowcount:
            return None
        first = self._db.execute("SELECT source, line FROM ids WHERE id = ?", (doc_id,)).fetchone()
        return first[0], first[1]

    def add_text(self, text: str, doc_id: str) -> str | None:
        """Remember ``text`` as ``doc_id``'s; if it was met before, return the first id it had."""
        key = text_key(text)
        if self._db.execute("INSERT OR IGNORE INTO texts VALUES (?, ?)", (key, doc_id)).rowcount:
            return None
        return str(self._db.execute("SELECT id FROM texts WHERE key = ?", (key,)).fetchone()[0])

    def close(self) -> None:
        """Forget everything: the file is removed."""
        self._db.close()
        self.path.unlink(missing_ok=True)
