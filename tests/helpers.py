"""Paths and small readers the tests share (no path hacks: the package is installed)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG_ROOT = ROOT / "configs"
CONFIGS = CONFIG_ROOT / "en"  # the English rules (the default language)
GOLD = ROOT / "data" / "gold"
DATA = Path(__file__).resolve().parent / "data"
PEER = DATA / "peer"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def copy_configs(target: Path) -> Path:
    """A copy of configs/ (every language and the shared vocabularies) at ``target``; returns
    the English rule folder in it."""
    shutil.copytree(CONFIG_ROOT, target, dirs_exist_ok=True)
    return target / "en"


def edit_rules(root: Path) -> None:
    """Add an operation to the copy of configs/ under ``root`` (SPRING names it)."""
    shared = root / "configs" / "shared" / "operations.yml"
    shared.write_text(shared.read_text() + "  - Spring Thunder\n")
    operations = root / "configs" / "en" / "operations.yml"
    operations.write_text(operations.read_text() + "  - name: Spring Thunder\n    match: anywhere\n"
                                                   "    aliases: [spring thunder drive]\n")


SPRING = "During the spring thunder drive, police in Yunnan seized 5 kg of heroin."
