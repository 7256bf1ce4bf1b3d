"""crackdown: rule-based extraction of China's anti-drug enforcement events from news.

Typical use::

    import pipeline
    nlp = pipeline.load()
    events = pipeline.extract(["Police in Yunnan seized 94kg of opium on June 15."], nlp)
    pipeline.display("Police in Yunnan seized 94kg of opium on June 15.", nlp)  # in Jupyter
"""

from . import compiled

compiled.check()  # before any compiled module is imported: never an old build of edited code

from .about import __version__
from .analysis import explode_provinces, province_name, summarize, totals
from .annotate import annotate, extract, extract_entities, load
from .errors import CrackdownError, InputError, ModelError, RulesError, StaleModelWarning
from .jupyter import COLORS, display
from .outputs import read_entities, read_events, read_facts
from .schema import CONTRACT_EVENT_COLUMNS, ENTITY_COLUMNS, EVENT_COLUMNS, EVENT_TYPES, FACT_COLUMNS

__all__ = [
    "__version__", "annotate", "extract", "extract_entities", "load", "display", "COLORS",
    "read_events", "read_entities", "read_facts", "summarize", "totals", "explode_provinces", "province_name",
    "CrackdownError", "InputError", "ModelError", "RulesError", "StaleModelWarning",
    "CONTRACT_EVENT_COLUMNS", "ENTITY_COLUMNS", "EVENT_COLUMNS", "EVENT_TYPES", "FACT_COLUMNS",
]
