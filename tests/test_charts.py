"""SVG bar charts (cases.charts): well-formed, no script or style, every label escaped,
small counts hatched and withheld ones not drawn."""

from __future__ import annotations

from xml.etree import ElementTree

from django.test import SimpleTestCase

from cases import charts
from cases.charts import Bar

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    # Our own output, parsed to prove it is well-formed XML.
    return ElementTree.fromstring(markup)  # noqa: S314


def find(root: ElementTree.Element, tag: str) -> ElementTree.Element:
    element = root.find(f"{SVG}{tag}")
    assert element is not None, tag
    return element


def attr(element: ElementTree.Element, name: str) -> str:
    value = element.get(name)
    assert value is not None, name
    return value


def drawn_text(root: ElementTree.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


class ChartsTestCase(SimpleTestCase):
    bars = [
        Bar("Kashgar prefecture", "12", 12),
        Bar("Hotan prefecture", "< 5", 5, small=True),
        Bar("Ili prefecture", "withheld", None),
        Bar("Altay prefecture", "0", 0),
    ]

    def test_it_makes_well_formed_svg_with_a_title_and_no_script_or_style(self):
        markup = charts.bar_chart("regions", "Reports by region", "The table follows.", self.bars)
        root = parse(markup)
        self.assertEqual(root.tag, f"{SVG}svg")
        self.assertEqual(root.get("role"), "img")
        self.assertEqual(root.get("aria-labelledby"), "regions-title regions-desc")
        self.assertEqual(find(root, "title").text, "Reports by region")
        self.assertEqual(find(root, "title").get("id"), "regions-title")
        for element in root.iter():
            self.assertNotIn("script", element.tag.lower())
            self.assertNotIn("foreignObject", element.tag)
            for name in element.attrib:
                self.assertNotEqual(name, "style")
                self.assertFalse(name.lower().startswith("on"), name)
                self.assertNotIn("href", name)
        self.assertNotIn("style=", markup)

    def test_it_escapes_every_label_and_text(self):
        hostile = "<script>alert(\"x\")</script> & 'quoted'"
        markup = charts.bar_chart(
            'a"><script>', hostile, hostile, [Bar(hostile, hostile, 7), Bar("b", "1&2", 5)]
        )
        root = parse(markup)
        self.assertNotIn("<script", markup)
        self.assertEqual(find(root, "title").text, hostile)
        self.assertEqual(find(root, "desc").text, hostile)
        # The drawn label is shortened; the row's own <title> keeps the whole label.
        row_titles = [t.text for t in root.iter(f"{SVG}title")][1:]
        self.assertEqual(row_titles[0], f"{hostile}: {hostile}")
        self.assertIn("1&2", drawn_text(root))
        # The id keeps only the characters an id may hold.
        self.assertEqual(find(root, "title").get("id"), "ascript-title")

    def test_it_drops_characters_xml_does_not_allow(self):
        root = parse(charts.bar_chart("c", "t\x00\x1b", "d\x08", [Bar("a\x01b", "5", 5)]))
        self.assertEqual(find(root, "title").text, "t")
        self.assertIn("ab", drawn_text(root))

    def test_it_hatches_small_bars_and_draws_no_bar_for_withheld_or_zero(self):
        root = parse(charts.bar_chart("regions", "t", "d", self.bars))
        rects = [r for r in root.iter(f"{SVG}rect") if r.get("height") == str(charts.BAR)]
        self.assertEqual(len(rects), 2)  # twelve, and the small one
        full, small = rects
        self.assertEqual(full.get("fill"), charts.FILL)
        self.assertEqual(small.get("fill"), "url(#regions-hatch)")
        # The small bar is drawn at the length of 5, not of its count.
        self.assertAlmostEqual(float(attr(small, "width")) * 12 / 5, float(attr(full, "width")), 0)
        self.assertEqual(
            drawn_text(root),
            [
                "Kashgar prefecture",
                "12",
                "Hotan prefecture",
                "< 5",
                "Ili prefecture",
                "withheld",
                "Altay prefecture",
                "0",
            ],
        )

    def test_it_shortens_long_labels_but_keeps_them_whole_in_the_row_title(self):
        label = "Missing person's name may be published in the annual report"
        root = parse(charts.bar_chart("c", "t", "d", [Bar(label, "9", 9)]))
        drawn = drawn_text(root)[0]
        self.assertTrue(drawn.endswith("…"))
        self.assertLessEqual(len(drawn), charts.MAX_LABEL)
        self.assertIn(label, [(t.text or "").split(":")[0] for t in root.iter(f"{SVG}title")])

    def test_it_puts_labels_on_the_right_for_right_to_left_languages(self):
        ltr = parse(charts.bar_chart("c", "t", "d", [Bar("a", "9", 9)]))
        rtl = parse(charts.bar_chart("c", "t", "d", [Bar("a", "9", 9)], rtl=True))
        ltr_label, rtl_label = (next(root.iter(f"{SVG}text")) for root in (ltr, rtl))
        self.assertEqual(float(attr(ltr_label, "x")), charts.LABEL_WIDTH)
        self.assertEqual(float(attr(rtl_label, "x")), charts.WIDTH - charts.LABEL_WIDTH)
        # Anchors are logical, so the direction decides the side they stand on.
        self.assertEqual((ltr.get("direction"), rtl.get("direction")), ("ltr", "rtl"))
        self.assertEqual(ltr_label.get("text-anchor"), "end")
        self.assertEqual(rtl_label.get("text-anchor"), "end")

    def test_it_draws_an_empty_chart(self):
        root = parse(charts.bar_chart("c", "t", "d", []))
        self.assertEqual(drawn_text(root), [])
