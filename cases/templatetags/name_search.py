"""The inbox's name search box, shown to staff who hold the index key."""

from __future__ import annotations

from typing import Any

from django import template

from cases import name_search

register = template.Library()


@register.inclusion_tag("cases/_find_person_box.html", takes_context=True)
def find_person_box(context: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "can_search": name_search.can_search(request.user),
        "csrf_token": context.get("csrf_token", ""),
    }
