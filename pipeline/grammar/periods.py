"""Date arithmetic every language shares: a ``Spec`` (what a date says) resolved to a period.

A language's date grammar only detects its dates and fills a ``Spec`` (year, month,
day, relative offsets, halves, edges, ranges); ``resolve`` turns it into (start, end)
dates against the document's ``published`` date, so periods mean the same in every
language. The code lives beside the English grammar it was written with
(``grammar/en/dates.py``); this is its public, language-free name.
"""

from __future__ import annotations

from .en.dates import Period, Spec, iso, resolve

__all__ = ["Period", "Spec", "iso", "resolve"]
