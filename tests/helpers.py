"""Paths and small readers the tests share (no path hacks: the package is installed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
GOLD = ROOT / "data" / "gold"
DATA = Path(__file__).resolve().parent / "data"
PEER = DATA / "peer"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def edit_rules(root: Path) -> None:
    """Add an operation to the copy of configs/ under ``root`` (SPRING names it)."""
    operations = root / "configs" / "operations.yml"
    operations.write_text(operations.read_text() + "  - name: Spring Thunder\n    match: anywhere\n"
                                                   "    aliases: [spring thunder drive]\n")


SPRING = "During the spring thunder drive, police in Yunnan seized 5 kg of heroin."
