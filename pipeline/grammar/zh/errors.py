"""Messages of the Chinese rules and grammar, coded like ``pipeline/errors.py``.

They live here until the language seam merges them into the main catalogue
(issue 13); the codes E060-E069 are not used there.
"""

from __future__ import annotations

from ...errors import _Coded


class ZhErrors(metaclass=_Coded):
    E060 = ("{kind} {name!r} is not a canonical name of {home}; "
            "use one of its names ({expected}) or add it there first.")
    E061 = ("class {name!r} is not a {section} class of "
            "configs/events.yml; expected one of {expected}.")
    E062 = ("{code!r} is not an ISO 4217 currency code "
            "(e.g. 'CNY', 'USD').")
    E063 = ("{form!r} is listed under both {first!r} and {second!r}; "
            "a form must name one thing.")
    E064 = "{name!r} is {problem}; expected {expected}."
    E065 = ("published date {value!r} is not an ISO date (YYYY-MM-DD); relative dates "
            "stay unresolved.")
