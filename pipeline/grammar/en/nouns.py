"""Questions about English noun phrases in a sentence view: their head's class, the drug they name.

Pure functions of a view and word positions. English puts the head of "66 packages of
heroin" before "of"/"for", and a container ("packages", "bottles") counts what it
holds; a drug is named in the phrase or, for "the drug", earlier in the sentence.
"""

from __future__ import annotations

from .view import SentenceView

CONTAINER = "container"  # a noun class that takes the class of what it holds
OTHER = "other"  # counted nouns that are never events ("three guns", "four types")
PERSON = "person"  # counted people ("14 suspects")
NONE = "none"  # a count with no noun of its own ("arrested nine")
LINKS = ("of", "for")  # "packages of heroin", "materials for making drugs"


def last_noun(view: SentenceView, lo: int, hi: int, end: int) -> str:
    """The class of the last noun phrase that covers a word of ``lo:hi`` and ends by ``end``."""
    tags = view.tags
    for i in range(hi - 1, lo - 1, -1):
        # the longest phrase covering word i: "storage points" is a network, not a "point"; a
        # phrase starting in the head may run on ("materials for making drugs")
        for j in range(lo, i + 1):
            tag = tags[j]
            if tag is not None and tag.noun and j + tag.length - 1 >= i and j + tag.length <= end:
                return tag.noun
    return ""


def head_class(view: SentenceView, start: int, end: int) -> str:
    """The class of the counted noun of the phrase ``start:end``.

    The head is the last noun before "of"/"for" (else of the whole phrase); a
    container takes the class of what it holds ("66 packages of heroin": drug), not of what
    it is searched for ("3,000 parcels for drugs": container).
    """
    words = view.words
    head_end = end
    for i in range(start, end):
        if words[i] in LINKS:
            head_end = i
            break
        if i > start and words[i] in ("and", "or") and i + 1 < end and words[i + 1] == "other":
            head_end = i  # "precursor chemicals and other substances": the others are of its kind
            break
    cls = last_noun(view, start, head_end, end) or last_noun(view, start, end, end)
    if cls == CONTAINER and head_end < end and words[head_end] == "of":  # "parcels for drugs" are searched
        held = last_noun(view, head_end + 1, end, end)
        if held == OTHER and drug_in(view, head_end + 1, end):
            return cls  # "40 boxes of etomidate cartridges": a drug's, whatever holds it
        if held and held != CONTAINER:
            return held  # "12 bundles of banknotes" hold no drug: never an event
    return cls


def drug_in(view: SentenceView, start: int, end: int) -> str | None:
    """The first drug named inside ``start:end``."""
    for i in range(start, end):
        tag = view.tags[i]
        if tag is not None and tag.drug and i + tag.length <= end:
            return tag.drug
    return None


def drug_of(view: SentenceView, start: int, end: int) -> str | None:
    """The one drug an item names; None for several ("methamphetamine and other drugs")."""
    tags = view.tags[start:end]
    named = {t.drug for t in tags if t is not None and t.drug}
    general = any(t is not None and t.noun == "drug" and not t.drug and not t.form for t in tags)
    if len(named) == 1 and not (general and any(w in ("and", "or") for w in view.words[start:end])):
        return named.pop()
    return None


def drug_before(view: SentenceView, before: int, breaks: set[str], anaphor: bool = False) -> tuple[str | None, str]:
    """The nearest drug named before ``before``: in the same clause ("Marijuana made up 1,560
    kg"), or anywhere before in the sentence for an anaphor ("17 tons of the drug")."""
    for i in range(before - 1, -1, -1):
        if not anaphor and (view.words[i] == "," or view.words[i] in breaks):
            break
        tag = view.tags[i]
        if tag is not None and tag.drug and i + tag.length <= before:
            return tag.drug, view.phrase(i, i + tag.length)
    return None, ""
