"""The demo organisation's reports about twenty invented families, in the six languages of
the form, for `manage.py demo` (development only).

Every person, name, family and story here is invented. Places are real towns and
prefectures, named only as coarsely as a real report would name them. Contacts use
reserved example addresses and fictional numbers. The order is the order the demo
sends them in (a report linked to another's person comes after it).
"""

from .more import MORE
from .shapes import DemoReport, Event, when
from .tour import TOUR

REPORTS: list[DemoReport] = TOUR + MORE

__all__ = ["REPORTS", "DemoReport", "Event", "when"]
