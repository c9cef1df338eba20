"""axe-core in the real browser: the accessibility rules a screen-reader user relies on.

axe-core comes from npm (package.json, installed by `make test`). It is evaluated
through the browser's DevTools protocol, which the page's Content-Security-Policy
does not govern, so the pages are checked with their production policy intact.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Items axe cannot decide alone ("needs review") that are still failures here: an
# aria attribute pointing to an id that does not exist leaves a screen reader silent.
REVIEW_ITEMS_THAT_FAIL = {"aria-valid-attr-value"}

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations", "incomplete"]});
  const keep = (items) => items.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
  return {violations: keep(result.violations), incomplete: keep(result.incomplete)};
}"""


@cache
def _source() -> str:
    if not AXE.exists():
        raise AssertionError("axe-core is not installed: run `make test`, which installs it")
    return AXE.read_text(encoding="utf-8")


def problems(page) -> list[dict]:
    """Every axe-core violation on the page as it is now, and the review items that
    count as failures."""
    page.evaluate(f"() => {{ {_source()}\n }}")
    result = page.evaluate(_RUN)
    review = [item for item in result["incomplete"] if item["id"] in REVIEW_ITEMS_THAT_FAIL]
    return result["violations"] + review


def describe(url: str, found: list[dict]) -> str:
    return f"{url}: " + "; ".join(
        f"{item['id']} ({item['impact']}): {item['help']} at {item['nodes']}" for item in found
    )
