"""The XML inside office files, rebuilt by allow-list. Runs in the cleaner child.

An element stays only if its namespace is one of the document formats' own (below); an
attribute only if it has no namespace or one of a narrower list. Extension namespaces (Word
2010+ ids, Excel's x15ac:absPath with the Windows account name, xr: revision ids, add-ins'
own data) go with everything in them: consumers are required to ignore them anyway. Within the
allowed namespaces, the names that identify people or machines are removed by name.
"""

from lxml import etree

from intake.sanitise import EXIT_UNREADABLE

from .images import Refused

_OOXML = "http://schemas.openxmlformats.org/"
_MS = "http://schemas.microsoft.com/office/"
_ODF = "urn:oasis:names:tc:opendocument:xmlns:"
W = _OOXML + "wordprocessingml/2006/main"
X = _OOXML + "spreadsheetml/2006/main"
R = _OOXML + "officeDocument/2006/relationships"
MC = _OOXML + "markup-compatibility/2006"
XML_NS = "http://www.w3.org/XML/1998/namespace"
PKG_RELS = _OOXML + "package/2006/relationships"
CONTENT_TYPES = _OOXML + "package/2006/content-types"
MANIFEST = _ODF + "manifest:1.0"
XLINK = "http://www.w3.org/1999/xlink"
DC = "http://purl.org/dc/elements/1.1/"

# Namespaces whose attributes may stay (besides attributes without a namespace).
ATTRIBUTE_NAMESPACES = frozenset(
    {
        W,
        X,
        R,
        MC,
        XML_NS,
        _OOXML + "drawingml/2006/main",
        _OOXML + "drawingml/2006/wordprocessingDrawing",
        _OOXML + "drawingml/2006/picture",
        _OOXML + "drawingml/2006/chart",
        _OOXML + "drawingml/2006/spreadsheetDrawing",
        _OOXML + "officeDocument/2006/math",
        "urn:schemas-microsoft-com:vml",
        "urn:schemas-microsoft-com:office:office",
        "urn:schemas-microsoft-com:office:word",
        "urn:schemas-microsoft-com:office:excel",
        XLINK,
        "http://www.w3.org/1999/XSL/Format",
        "http://www.w3.org/2000/svg",
        *(
            _ODF + name
            for name in (
                "office:1.0",
                "style:1.0",
                "text:1.0",
                "table:1.0",
                "drawing:1.0",
                "xsl-fo-compatible:1.0",
                "svg-compatible:1.0",
                "datastyle:1.0",
                "chart:1.0",
                "dr3d:1.0",
                "manifest:1.0",
            )
        ),
    }
)
# Namespaces whose elements may stay: the above, and drawing/shape extensions that hold text.
ELEMENT_NAMESPACES = ATTRIBUTE_NAMESPACES | {
    PKG_RELS,
    CONTENT_TYPES,
    _MS + "word/2010/wordml",
    _MS + "word/2010/wordprocessingShape",
    _MS + "word/2010/wordprocessingGroup",
    _MS + "word/2010/wordprocessingCanvas",
    _MS + "word/2010/wordprocessingDrawing",
    _MS + "drawing/2010/main",
    "http://www.w3.org/1998/Math/MathML",
}
# Within allowed namespaces: attributes that name a person, a time, or a machine's session.
DROP_ATTRIBUTES = frozenset({"date", "dateUtc", "userId", "providerId", "personId", "uid"})
BLANK_ATTRIBUTES = frozenset({"author", "initials"})  # required by the schema: kept, emptied
DROP_ELEMENTS = frozenset(
    {
        (W, "rsids"),
        (W, "docVars"),
        (W, "attachedTemplate"),
        (W, "documentProtection"),
        (W, "writeProtection"),
        (W, "del"),  # tracked deletions: the text the writer removed
        (W, "moveFrom"),
        (W, "moveFromRangeStart"),
        (W, "moveFromRangeEnd"),
        (W, "moveToRangeStart"),
        (W, "moveToRangeEnd"),
        (W, "rPrChange"),
        (W, "pPrChange"),
        (W, "sectPrChange"),
        (W, "tblPrChange"),
        (W, "tblGridChange"),
        (W, "trPrChange"),
        (W, "tcPrChange"),
        (W, "numberingChange"),
        (X, "fileSharing"),  # userName of whoever reserved the file
        (_ODF + "text:1.0", "tracked-changes"),
        (_ODF + "text:1.0", "change"),
        (_ODF + "text:1.0", "change-start"),
        (_ODF + "text:1.0", "change-end"),
        (_ODF + "office:1.0", "scripts"),
        (_ODF + "office:1.0", "event-listeners"),
        (_ODF + "office:1.0", "forms"),
        (DC, "creator"),
        (DC, "date"),
        (_ODF + "text:1.0", "author-name"),  # fields showing the writer's name
        (_ODF + "text:1.0", "author-initials"),
        (_ODF + "text:1.0", "initial-creator"),
        (_ODF + "text:1.0", "creator"),
        (W, "mailMerge"),  # a data source's path and query
        (_MS + "word/2010/wordml", "docId"),
        # Field codes: what Word runs when it updates a field (INCLUDEPICTURE fetches a web
        # address, DDEAUTO starts a program). Only a field's last result stays, as plain text.
        (W, "instrText"),
        (W, "delInstrText"),
        (W, "fldData"),
        # Excel formulas: WEBSERVICE, IMAGE or a DDE call would run on opening. The cached
        # value (<v>) stays. The same for formulas in rules, names and validations.
        (X, "f"),
        (X, "calculatedColumnFormula"),
        (X, "totalsRowFormula"),
        (X, "definedNames"),
        (X, "conditionalFormatting"),
        (X, "dataValidations"),
        # ODF: inline data we do not re-encode (a photo with its EXIF, an OLE object), objects
        # and plug-ins, DDE links, macros and scripts, and fields showing the sender's details.
        (_ODF + "office:1.0", "binary-data"),
        (_ODF + "drawing:1.0", "object"),
        (_ODF + "drawing:1.0", "object-ole"),
        (_ODF + "drawing:1.0", "plugin"),
        (_ODF + "drawing:1.0", "applet"),
        (_ODF + "drawing:1.0", "floating-frame"),
        (_ODF + "office:1.0", "dde-source"),
        (_ODF + "text:1.0", "dde-connection-decls"),
        (_ODF + "text:1.0", "dde-connection-decl"),
        (_ODF + "text:1.0", "dde-connection"),
        (_ODF + "table:1.0", "dde-links"),
        (_ODF + "text:1.0", "execute-macro"),
        (_ODF + "text:1.0", "script"),
        (_ODF + "office:1.0", "script"),
    }
)
# ODF fields that show the sender's own details (name, address, telephone...).
_ODF_SENDER = (_ODF + "text:1.0", "sender-")
# Tracked insertions are accepted; a simple field keeps its result and loses its code.
UNWRAP_ELEMENTS = frozenset({(W, "ins"), (W, "moveTo"), (W, "fldSimple")})
# Attributes that point somewhere (VML's src and o:href, xlink:href, any *link*): removed when
# they point outside the package, so nothing is fetched when the file is opened.
_LINK_NAMES = ("src", "href")

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse(body: bytes) -> etree._Element:
    try:
        root = etree.fromstring(body, _PARSER)  # no entities, no DTD, no network
    except (etree.XMLSyntaxError, ValueError):
        raise Refused(EXIT_UNREADABLE) from None
    if root.getroottree().docinfo.doctype:  # office XML never has one; a bomb might
        raise Refused(EXIT_UNREADABLE)
    return root


def parse_check(body: bytes) -> bytes:
    parse(body)
    return body


def serialise(root: etree._Element) -> bytes:
    # The declaration as Office writes it (double quotes), which every consumer accepts.
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    return declaration + etree.tostring(root, xml_declaration=False, encoding="UTF-8")


def _namespace(tag) -> str | None:
    if not isinstance(tag, str):
        return None
    return etree.QName(tag).namespace


def clean_part(kind: str, body: bytes, *, vml: bool = False) -> bytes | None:
    """The part rebuilt by the allow-list, or None if it cannot be parsed or keeps nothing."""
    try:
        root = parse(body)
    except Refused:
        return None
    # Excel's notes are drawn by VML, whose root element has no namespace.
    allowed = ELEMENT_NAMESPACES | {None} if vml else ELEMENT_NAMESPACES
    if _namespace(root.tag) not in allowed:
        return None
    if kind == "docx":
        drop_field_codes(root)
    if kind == "xlsx":
        for calc in root.iter(f"{{{X}}}calcPr"):  # no recalculation on opening
            for name in ("fullCalcOnLoad", "forceFullCalc"):
                calc.attrib.pop(name, None)
    clean_tree(root, allowed)
    return serialise(root)


def clean_tree(root: etree._Element, allowed: frozenset = ELEMENT_NAMESPACES) -> None:
    stack = list(root)
    _clean_attributes(root)
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):  # an unexpanded entity: refer to nothing
            _remove(element)
            continue
        qname = etree.QName(element)
        key = (qname.namespace, qname.localname)
        sender = key[0] == _ODF_SENDER[0] and key[1].startswith(_ODF_SENDER[1])
        if qname.namespace not in allowed or key in DROP_ELEMENTS or sender:
            _remove(element)  # with all it holds
            continue
        if key in UNWRAP_ELEMENTS or _is_external_link(element):
            children = list(element)
            _unwrap(element)
            stack.extend(children)
            continue
        _clean_attributes(element)
        if key == (X, "author"):  # Excel notes' authors
            element.text = ""
        stack.extend(element)
    _drop_empty_alternates(root)


def _clean_attributes(element) -> None:
    for name in list(element.attrib):
        qname = etree.QName(name)
        local = qname.localname
        if qname.namespace is not None and qname.namespace not in ATTRIBUTE_NAMESPACES:
            del element.attrib[name]
        elif local.lower().startswith("rsid") or local in DROP_ATTRIBUTES:
            del element.attrib[name]
        elif local in BLANK_ATTRIBUTES:
            element.attrib[name] = ""
        elif local == "instr":  # a field's code, kept nowhere
            del element.attrib[name]
        elif _is_link_name(local) and _external(element.attrib[name]):
            del element.attrib[name]  # an image or object fetched from elsewhere on opening


def _is_link_name(local: str) -> bool:
    lower = local.lower()
    return lower in _LINK_NAMES or "link" in lower


def drop_field_codes(root: etree._Element) -> None:
    """Remove every complex field's code, keeping its result runs as plain text.

    A field is `fldChar begin`, the code (instrText, which may be split over any number of
    runs), `fldChar separate`, the result, `fldChar end`; fields nest. Checking each instrText
    alone misses a code split across runs, so every run of a code part goes, and the runs that
    held the markers go too. What stays is what the document showed when it was last saved.
    """
    states: list[str] = []  # one per open field: "code" until its separator, then "result"
    for run in list(root.iter(f"{{{W}}}r")):
        chars = run.findall(f"{{{W}}}fldChar")  # its own, not those of a text box inside
        if chars:
            for char in chars:
                kind = char.get(f"{{{W}}}fldCharType")
                if kind == "begin":
                    states.append("code")
                elif kind == "separate" and states:
                    states[-1] = "result"
                elif kind == "end" and states:
                    states.pop()
            _remove(run)
        elif "code" in states:
            _remove(run)


def _external(href: str) -> bool:
    """Anything but a part of this package or a place inside the document."""
    return ":" in href or href.startswith(("/", "\\", "..")) or "\\" in href


def _is_external_link(element) -> bool:
    """An ODF link to a web address or a file: its text stays, the link goes."""
    href = element.get(f"{{{XLINK}}}href")
    qname = etree.QName(element)
    return qname.localname == "a" and href is not None and _external(href)


def _remove(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    _keep_tail(element)
    parent.remove(element)


def _keep_tail(element) -> None:
    """Text after an element belongs to its parent; keep it when the element goes."""
    if not element.tail:
        return
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + element.tail
    else:
        parent = element.getparent()
        parent.text = (parent.text or "") + element.tail


def _unwrap(element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    if element.text:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.text
        else:
            parent.text = (parent.text or "") + element.text
    children = list(element)
    if children:
        children[-1].tail = (children[-1].tail or "") + (element.tail or "")
    else:
        _keep_tail(element)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    parent.remove(element)


def _drop_empty_alternates(root) -> None:
    """mc:AlternateContent whose choices all lost their content (e.g. only x15ac:absPath)."""
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        if all(len(choice) == 0 for choice in alternate):
            _remove(alternate)


# --- relationships, content types, manifests ----------------------------------------------


def clean_rels(body: bytes, source: str, kept: dict) -> tuple[bytes, set[str]]:
    """Keep relationships to parts that stayed, and links out only as plain hyperlinks.

    Returns the new part and the ids removed, so the source part can drop what used them.
    """
    from .office import resolve

    root = parse(body)
    removed = set()
    for rel in list(root):
        if etree.QName(rel).localname != "Relationship":
            root.remove(rel)
            continue
        for name in list(rel.attrib):
            if name not in ("Id", "Type", "Target", "TargetMode"):
                del rel.attrib[name]
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        if external or resolve(source, target) not in kept:
            removed.add(rel.get("Id", ""))
            root.remove(rel)
    return serialise(root), removed


def drop_references(body: bytes, ids: set[str]) -> bytes:
    """Remove what used a removed relationship (an OLE object, an external picture, a link
    to another workbook); a hyperlink loses its link and keeps its text."""
    root = parse(body)
    for element in list(root.iter()):
        if element.getparent() is None and element is not root:
            continue
        used = [value for name, value in element.attrib.items() if _namespace(name) == R]
        if not any(value in ids for value in used):
            continue
        if etree.QName(element).localname == "hyperlink":
            _unwrap(element)
        else:
            _remove(element)
    for name in ("hyperlinks", "externalReferences", "oleObjects", "controls", "pivotCaches"):
        for container in list(root.iter(f"{{{X}}}{name}")):
            if len(container) == 0:  # Excel wants at least one, or no container
                _remove(container)
    return serialise(root)


# Macros are never kept, so a macro-enabled main part is declared as the plain one: Word and
# Excel refuse a .docx or .xlsx that calls itself macro-enabled.
_PLAIN_MAIN = {
    "application/vnd.ms-word.document.macroEnabled.main+xml": "application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "application/vnd.openxmlformats-"
    "officedocument.spreadsheetml.sheet.main+xml",
}


def clean_content_types(body: bytes, kept: dict) -> bytes:
    root = parse(body)
    extensions = {"rels", "xml"} | {name.rsplit(".", 1)[-1].lower() for name in kept}
    for entry in list(root):
        local = etree.QName(entry).localname
        part = (entry.get("PartName") or "").lstrip("/")
        if local == "Override" and part not in kept:
            root.remove(entry)
        elif local == "Default" and (entry.get("Extension") or "").lower() not in extensions:
            root.remove(entry)
        elif local not in ("Override", "Default"):
            root.remove(entry)
        elif entry.get("ContentType") in _PLAIN_MAIN:
            entry.set("ContentType", _PLAIN_MAIN[entry.get("ContentType")])
    return serialise(root)


def clean_manifest(body: bytes, kept: dict) -> bytes:
    root = parse(body)
    path = f"{{{MANIFEST}}}full-path"
    for entry in list(root):
        name = entry.get(path, "")
        if name != "/" and name not in kept:
            root.remove(entry)
    return serialise(root)
