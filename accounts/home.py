"""What the staff home counts. The feature apps that hold reports and cases register
their counts here when they load (their AppConfig.ready), so the core never imports
them; the home page shows each count as a link to the list it counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Staff


@dataclass(frozen=True)
class HomeCount:
    label: str
    number: int
    url: str


CountSource = Callable[[Staff], list[HomeCount]]
_sources: list[CountSource] = []


def register(source: CountSource) -> None:
    """Add a source of counts (once: a second registration of the same one is ignored)."""
    if source not in _sources:
        _sources.append(source)


def counts(staff: Staff) -> list[HomeCount]:
    return [count for source in _sources for count in source(staff)]
