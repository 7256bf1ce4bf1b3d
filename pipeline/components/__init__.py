"""spaCy components of crackdown; importing this registers their factories."""

from .entities import EntityResolver, make_entities
from .events import EventBuilder, make_events
from .facts import FactMerger, make_facts
from .finders import DateFinder, OperationFinder, QuantityFinder, make_dates, make_operations, make_quantities
from .gazetteer import province_patterns
from .segment import Segmenter, make_segmenter

__all__ = [
    "DateFinder", "EntityResolver", "EventBuilder", "FactMerger", "OperationFinder", "Segmenter",
    "QuantityFinder", "make_dates", "make_entities", "make_events", "make_facts", "make_operations",
    "make_quantities", "make_segmenter", "province_patterns",
]
