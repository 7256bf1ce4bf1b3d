"""Which languages there are, where each one's rules and pipeline live, and which a text is in.

A language is a folder ``configs/<lang>/`` with a ``config.cfg`` (spaCy's, naming its
components and grammar) and its rule files, built into ``models/crackdown-<lang>``
(English, the default, into ``models/crackdown``). Nothing here lists the languages:
they are found on disk, so adding one edits no module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import srsly

from .errors import CrackdownError, Errors

ROOT = Path(__file__).resolve().parent.parent
CONFIG_ROOT = ROOT / "configs"
MODELS = ROOT / "models"
DEFAULT_LANG = "en"
AUTO = "auto"
MODEL_PREFIX = "crackdown"

# Han characters (CJK unified ideographs and extension A): a text mostly in them is Chinese.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")  # a Han character (CJK unified ideographs)
_LETTER = re.compile(r"[^\W\d_]")
HAN_SHARE = 0.3


class LanguageError(CrackdownError):
    """An unknown language, or no pipeline built for it."""


def model_name(lang: str) -> str:
    """``crackdown`` for the default language, ``crackdown-<lang>`` for the others."""
    return MODEL_PREFIX if lang == DEFAULT_LANG else f"{MODEL_PREFIX}-{lang}"


def default_model(lang: str = DEFAULT_LANG, models: Path = MODELS) -> Path:
    """Where the repository keeps the pipeline of ``lang``."""
    return models / model_name(lang)


def rules_dir(lang: str = DEFAULT_LANG, root: Path = CONFIG_ROOT) -> Path:
    """The rule folder of ``lang`` (``configs/<lang>``)."""
    return root / lang


def configured(root: Path = CONFIG_ROOT) -> list[str]:
    """The languages with a ``configs/<lang>/config.cfg``, default first."""
    found = sorted(d.name for d in root.iterdir() if (d / "config.cfg").is_file()) if root.is_dir() else []
    return sorted(found, key=lambda lang: lang != DEFAULT_LANG)


def built(models: Path = MODELS) -> dict[str, Path]:
    """Language -> pipeline folder, for every pipeline under ``models`` (read from meta.json)."""
    found: dict[str, Path] = {}
    if not models.is_dir():
        return found
    for folder in sorted(models.iterdir()):
        meta = folder / "meta.json"
        if folder.name.startswith(MODEL_PREFIX) and meta.is_file():
            lang = str(srsly.read_json(meta).get("lang") or "")
            if lang and folder.name == model_name(lang):
                found[lang] = folder
    return found


def check_lang(lang: str, known: Iterable[str], allow_auto: bool = True) -> str:
    """``lang`` if it is one of ``known`` (or ``auto``); else a LanguageError (E105)."""
    known = list(known)
    if lang in known or (allow_auto and lang == AUTO):
        return lang
    expected = ", ".join(([AUTO] if allow_auto else []) + known)
    raise LanguageError(Errors.E105.format(lang=lang, expected=expected))


def detect(text: str, languages: Iterable[str] = ("en", "zh")) -> str:
    """The language of ``text`` among ``languages``: Chinese when Han characters are at least
    ``HAN_SHARE`` of its letters, else the default language.

    A script test rather than a language-identification model (langdetect, fastText):
    the two pipelines differ by script, a model would add a dependency and misread
    short headlines, and a language that shares a script is chosen with ``lang``.
    """
    languages = list(languages)
    if "zh" in languages:
        letters = len(_LETTER.findall(text[:2000]))
        if letters and len(HAN.findall(text[:2000])) / letters >= HAN_SHARE:
            return "zh"
    return DEFAULT_LANG if DEFAULT_LANG in languages or not languages else languages[0]


def model_override() -> str | None:
    """$CRACKDOWN_MODEL, when set: the pipeline of the default language."""
    return os.environ.get("CRACKDOWN_MODEL") or None
