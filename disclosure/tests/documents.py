"""A document to render or check, for the render and leak check tests."""

from __future__ import annotations

import datetime

from disclosure.render import Document, Section


def document(*sections: Section) -> Document:
    return Document(
        export_id="EXP-7K3Q-9M2D",
        title="Case submission to the UN Working Group on Enforced or Involuntary Disappearances",
        day=datetime.date(2026, 11, 30),
        recipient="WGEID",
        sections=sections,
    )
