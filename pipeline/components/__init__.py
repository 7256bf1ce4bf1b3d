"""spaCy components of crackdown; importing this registers their factories."""

from .entities import EntityResolver, make_entities
from .events import EventBuilder, make_events
from .finders import DateFinder, OperationFinder, QuantityFinder, make_dates, make_operations, make_quantities
from .gazetteer import province_patterns
from .segment import ParagraphMarker, StableSentencizer, make_paragraphs, make_sentencizer

__all__ = [
    "DateFinder", "EntityResolver", "EventBuilder", "OperationFinder", "ParagraphMarker",
    "QuantityFinder", "make_dates", "make_entities", "make_events", "make_operations",
    "make_paragraphs", "make_quantities", "make_sentencizer", "province_patterns", "StableSentencizer",
]
