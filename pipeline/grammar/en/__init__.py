"""The English grammar: numbers, units, dates and campaign names in English text."""
