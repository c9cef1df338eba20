"""The exports of a case, on its page (cases' templates load this; cases never imports
disclosure)."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Export
from ..services import DRAFTING_ROLES

register = template.Library()


@register.inclusion_tag("disclosure/_case_exports.html", takes_context=True)
def case_exports(context: dict[str, Any], person: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "person": person,
        "exports": list(Export.objects.filter(person_id=person.id)),
        "can_draft": user.role in DRAFTING_ROLES,
    }
