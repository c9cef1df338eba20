# ruff: noqa: RUF001 -- Uyghur, Russian, Kazakh, Chinese text and full-width forms
"""Pattern detectors for redaction: numbers, contacts, addresses and coordinates.

Pure Python (no Django): `disclosure.redaction` calls these on a normalised copy of the
text (`normalise`), whose digits in every numeral system are ASCII, whose full-width and
presentation forms are plain, and whose format characters (bidi controls, zero-width
joiners) are gone. `Normalised.span` maps a hit back to offsets in the original text.

Each detector yields (start, end, kind) in the normalised text. They over-redact rather
than miss: a 15-18 digit run is an ID number even when its check digit is wrong (a partial
ID still tells county, birth date and sex).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
import zhconv

Hit = tuple[int, int, str]

# Regions whose national number formats are tried, besides the international (+, 00) form:
# where the families live and where their relatives are.
PHONE_REGIONS = ("CN", "KZ", "TR", "US", "DE", "NL", "GB", "RU", "KG", "UZ", "SE", "FR", "AU")
# The phone matcher (the slow part) reads only stretches of digits, spaces, dashes, dots
# and brackets with at least six digits, at most this many distinct ones per text.
MAX_PHONE_CANDIDATES = 2_000
_PHONE_CANDIDATE = re.compile(r"[+(（]?\d[\d \u00a0\-\u2010-\u2015.()/]{4,24}\d")


@dataclass(frozen=True, repr=False)
class Normalised:
    """A text with digits, widths and format characters normalised, and the way back.

    starts[i] is the offset in the original text of normalised character i; starts has one
    more entry, len(original), so that an end offset maps too.
    """

    text: str
    starts: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalised range [start, end)."""
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.starts[end - 1] + 1

    def __repr__(self) -> str:
        return f"Normalised(<{len(self.text)} characters>)"


# Greek letters that look like Latin ones (a name typed with them reads the same).
_GREEK = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαβεικνορτυχω", "ABEZHIKMNOPTYXabeiknoptuxw")


def _plain(ch: str) -> str:
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    if ch.isascii():
        return ch
    if unicodedata.category(ch) == "Cf":
        return ""  # bidi controls, zero-width (non-)joiners: they hide, never mean
    if "\u0300" <= ch <= "\u036f":
        return ""  # a Latin accent typed apart (u + ¨, as pasted from some systems)
    if "\u0370" <= ch <= "\u03ff":
        return ch.translate(_GREEK)
    if "\u4e00" <= ch <= "\u9fff":
        return zhconv.convert(ch, "zh-hans") or ch  # traditional characters read simplified
    folded = unicodedata.normalize("NFKC", ch)
    # NFKC of a lone combining mark or space variant can be odd; keep what is printable.
    return folded if folded else ch


def normalise(text: str) -> Normalised:
    """The normalised copy of text and its map back (see `Normalised`)."""
    out: list[str] = []
    starts: list[int] = []
    cache: dict[str, str] = {}
    for i, ch in enumerate(text):
        plain = cache.get(ch)
        if plain is None:
            plain = cache[ch] = _plain(ch)
        out.append(plain)
        starts.extend([i] * len(plain))
    starts.append(len(text))
    return Normalised("".join(out), tuple(starts))


# A name cut or spaced apart to slip past: "Abdu-kerim", "Gul-\nnar" (a line-end hyphen),
# "古 丽 娜 尔", "G u l n a r". squeeze() joins them in a copy that is searched as well.
_SQUEEZE = re.compile(
    r"(?<=\w)[-\u00ad\u2010\u2011](?:[ \t]*\n[ \t]*)?(?=\w)"
    r"|(?<=[\u4e00-\u9fff])[ \t\u3000]+(?=[\u4e00-\u9fff])"
    r"|(?<=\b\w) (?=\w\b)"
)


def squeeze(text: str) -> Normalised | None:
    """The text with hyphens inside words, spaces between Chinese characters and between
    single letters taken out (and the map back), or None when there is nothing to take."""
    if not _SQUEEZE.search(text):
        return None
    out: list[str] = []
    starts: list[int] = []
    at = 0
    for match in _SQUEEZE.finditer(text):
        out.append(text[at : match.start()])
        starts.extend(range(at, match.start()))
        at = match.end()
    out.append(text[at:])
    starts.extend(range(at, len(text)))
    starts.append(len(text))
    return Normalised("".join(out), tuple(starts))


# --- ID numbers -----------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def prc_id_valid(number: str) -> bool:
    """Whether 18 characters are a PRC resident ID with a right ISO 7064 MOD 11-2 check."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17].upper()


# A run of digits with single separators inside (spaces, dashes, dots, slashes), ending
# maybe in the X of a PRC ID. Bounded: a run is matched once, left to right.
_SEP = r"[ \u00a0\t\-\u2010-\u2015./]"
_NUMBER_RUN = re.compile(rf"(?<![0-9A-Za-z])\d(?:{_SEP}?\d)*(?:{_SEP}?[Xx](?![A-Za-z]))?")
# Passport-like: one or two capital letters and 6-9 digits (PRC E/G/D/S/P + 8 digits,
# Kazakh N + 8, Turkish U + 8 ...).
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])[A-Z]{1,2}[ \-]?\d{6,9}(?![0-9A-Za-z])")
# A date, maybe with a time (2026-11-22 19:05): no phone or ID number, though it reads
# as one in some regions.
_DATE = re.compile(r"(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])(?!\d)")
# Fewer digits than this in a run are dates, counts, house numbers: left alone unless a
# phone or an entity matches them.
MIN_LONG_DIGITS = 9


def _dates(run: str) -> bool:
    """Whether a digit run is a date with a time (2026-11-22 19:05) or a list of years
    (2017 2018 2019) rather than one number."""
    if _DATE.match(run):
        return True
    groups = re.split(r"[ \u00a0\t]+", run)
    return len(groups) > 1 and all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups)


def id_numbers(text: str) -> Iterator[Hit]:
    """PRC IDs (checked or not) and 15-18 digit runs, passport numbers ("id_number"), and
    any other run of MIN_LONG_DIGITS or more digits, 12-digit IINs among them ("number")."""
    for m in _NUMBER_RUN.finditer(text):
        digits = re.sub(r"[^0-9Xx]", "", m.group())
        international = m.group().startswith("00") or text[m.start() - 1 : m.start()] == "+"
        if prc_id_valid(digits) or (len(digits) >= 15 and not international):
            yield m.start(), m.end(), "id_number"
        elif len(digits) >= MIN_LONG_DIGITS and not _dates(m.group()):
            # Could be a phone the matcher missed, an IIN (12 digits), a partial ID: the
            # phone matcher's kind wins where both see it (see redaction's priorities).
            yield m.start(), m.end(), "number"
    for m in _PASSPORT.finditer(text):
        yield m.start(), m.end(), "id_number"


# --- Phones ---------------------------------------------------------------------------

# +86 ..., 0086 ..., (+7) ...: an international number the matcher may not parse in full.
_INTERNATIONAL = re.compile(
    rf"(?<![0-9A-Za-z+])(?:\+|00)\(?\d{{1,3}}\)?(?:{_SEP}?\(?\d\)?){{6,14}}"
)


_LONG_RUN = re.compile(r"\d{20,}")


def _phone_candidates(text: str) -> Iterator[re.Match[str]]:
    """Stretches that could hold a phone number: the matcher reads only these (with a
    character either side), each distinct one once, instead of the whole text."""
    return _PHONE_CANDIDATE.finditer(text)


def phones(text: str) -> Iterator[Hit]:
    """Phone numbers: `phonenumbers` in each of PHONE_REGIONS, and +/00 forms.

    Runs of 20 digits or more are no phone (they are ID numbers or junk): they are hidden
    from the matcher, whose time grows fast with the length of a digit run."""
    if not any(ch.isdigit() for ch in text):
        return
    text = _LONG_RUN.sub(lambda m: "#" * len(m.group()), text)
    seen: dict[str, list[tuple[int, int]]] = {}
    for candidate in _phone_candidates(text):
        if len(seen) >= MAX_PHONE_CANDIDATES:
            break
        start = max(0, candidate.start() - 1)
        piece = text[start : candidate.end() + 1]
        found = seen.get(piece)
        if found is None:
            found = seen[piece] = [
                (match.start, match.end)
                for region in PHONE_REGIONS
                for match in phonenumbers.PhoneNumberMatcher(
                    piece, region, leniency=phonenumbers.Leniency.VALID, max_tries=50
                )
            ]
        for begin, end in found:
            if not _DATE.match(text, start + begin):
                yield start + begin, start + end, "phone"
    for m in _INTERNATIONAL.finditer(text):
        yield m.start(), m.end(), "phone"


# --- E-mail and messaging handles -----------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){1,8}")
# Obfuscated: name [at] example [dot] com, name(at)example.com.
_EMAIL_AT = re.compile(
    r"[A-Za-z0-9._%+\-]{1,64}\s*[\[(]\s*at\s*[\])]\s*[A-Za-z0-9\-]{1,63}"
    r"(?:\s*(?:\.|[\[(]\s*dot\s*[\])])\s*[A-Za-z0-9\-]{1,63}){1,8}",
    re.IGNORECASE,
)
_AT_HANDLE = re.compile(r"(?<![\w.@+\-])@[A-Za-z0-9_](?:[A-Za-z0-9_]|\.(?=\w)){2,31}")
# Services whose ids families give, in the narratives' languages (Uyghur ئۈندىدار and
# Chinese 微信 are WeChat).
_SERVICES = (
    r"we\s?chat|weixin|wexin|whats\s?app|telegram|signal|skype|viber|imo|qq|line|instagram"
    r"|facebook|twitter|tiktok|douyin|vk|вичат|ви\s?чат|вичате|телеграм\w*|ватсап\w*|вотсап\w*"
    r"|скайп\w*|инстаграм\w*|微信号?|电报|抖音号?|ۋىچات\w*|ئۈندىدار\w*|تېلېگرام\w*|ۋاتساپ\w*"
)
# What may stand between a service and the id: "ID", "id:", "号", "is", "account".
# Possessive (*+, ++): a long run of these words must not make the engine backtrack.
_LINK = (
    r"(?:\s*+(?:(?:id|account|username|user\s?name|handle|number|nick|no\.?|is"
    r"|hesabı|kullanıcı\s?adı|adı|аккаунт|ник|логин|номер|номери|هېسابى|نومۇرى)"
    r"(?![A-Za-z0-9_])|账号|号码|号))*+\s*+"
)
_SERVICE_ID = re.compile(
    rf"(?<![A-Za-z0-9_\u0400-\u04ff\u0600-\u06ff])(?:{_SERVICES})(?P<link>{_LINK}(?:[:：=]\s*+)?)"
    r"(?P<id>@?[A-Za-z0-9](?:[A-Za-z0-9_\-]|\.(?=\w)){3,31})(?![A-Za-z0-9_@])",
    re.IGNORECASE,
)


def emails(text: str) -> Iterator[Hit]:
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end(), "email"
    for m in _EMAIL_AT.finditer(text):
        yield m.start(), m.end(), "email"


def handles(text: str) -> Iterator[Hit]:
    """@handles, and ids written after a service's name ("WeChat: memet_85", "微信号 abc123").

    After a service's name a plain word is an id only when a colon or "ID"/"号" stands
    before it or it has a digit, underscore or dot ("I called him on WeChat but ..." is not).
    """
    for m in _AT_HANDLE.finditer(text):
        yield m.start(), m.end(), "handle"
    for m in _SERVICE_ID.finditer(text):
        ident, link = m.group("id"), m.group("link")
        marked = bool(re.search(r"[:：=]|id|号|no|номер|نومۇرى", link, re.IGNORECASE))
        if marked or re.search(r"[0-9_.@]", ident):
            yield m.start("id"), m.end("id"), "handle"


# --- Coordinates ----------------------------------------------------------------------

_DEC = r"[-+]?\d{1,3}[.,]\d{1,8}"
_HEMI_NS, _HEMI_EW = r"[NSnsСЮ]", r"[EWewВЗ]"
_GPS_PAIR = re.compile(
    rf"(?<![\d.A-Za-z])(?:{_HEMI_NS}\s?)?(?P<lat>{_DEC})(?:\s*°)?(?:\s*{_HEMI_NS}\b)?"
    rf"\s*[,;/ ]\s*(?:{_HEMI_EW}\s?)?(?P<lon>{_DEC})(?:\s*°)?(?:\s*{_HEMI_EW}\b)?(?![\d])"
)
_DMS = re.compile(
    r"(?<!\d)\d{1,3}\s*°(?:\s*\d{1,2}(?:[.,]\d+)?\s*['′’])?(?:\s*\d{1,2}(?:[.,]\d+)?\s*[\"″”])?"
    r"(?:\s*[NSEWnsewСЮВЗ]\b)?"
)
_DEC_DEGREE = re.compile(rf"(?<![\d.]){_DEC}\s*°(?:\s*[NSEWnsewСЮВЗ]\b)?")


def coordinates(text: str) -> Iterator[Hit]:
    """Decimal pairs ("43.9, 81.3", "43.91N 81.32E") in range, and degree forms."""
    for m in _GPS_PAIR.finditer(text):
        try:
            lat = float(m.group("lat").replace(",", "."))
            lon = float(m.group("lon").replace(",", "."))
        except ValueError:  # pragma: no cover - the pattern only lets numbers through
            continue
        if abs(lat) <= 90 and abs(lon) <= 180 and (lat, lon) != (0, 0):
            yield m.start(), m.end(), "gps"
    for pattern in (_DMS, _DEC_DEGREE):
        for m in pattern.finditer(text):
            if "°" in m.group() and len(m.group().strip()) > 2:
                yield m.start(), m.end(), "gps"


# --- Addresses ------------------------------------------------------------------------

_UP = r"[A-ZÀ-ÖØ-ÞÇĞİÖŞÜƏ]"
_WORD = r"[\w'’\-]+"
_LATIN_STREET = (
    r"Road|Rd\.?|Street|St\.|Avenue|Ave\.?|Lane|Alley|Boulevard|Blvd\.?|Lu|Jie|Xiang|Hutong"
    r"|Caddesi|Cad\.|Cadde|Sokak|Sokağı|Sok\.|Sk\.|Bulvarı|Mahallesi|Mah\.|Straße|Strasse|straat"
    r"|Kocha|Kochisi|Yoli|Mehellisi"
)
_LATIN_PLACE = (
    r"[Vv]illage|[Tt]ownship|köyü\w*|köy\w*|kenti\w*"
    r"|[Aa]uyly|[Aa]uly|[Yy]ëzisi|[Yy]ezisi|[Cc]un|[Xx]iang|[Zz]hen"
    r"|[Ss]ettlement|[Nn]eighbou?rhood"
)
_HOUSE = r"(?:(?:No\.?|Nr\.?|Number|#|№)\s*:?\s*)?(?<!\d)\d++[A-Za-z]?(?:\s*[/\-]\s*(?<!\d)\d++)?"
_ADDRESS_LATIN = re.compile(
    rf"(?:{_HOUSE},?\s+)?(?:{_UP}{_WORD}\s+){{1,3}}(?:{_LATIN_STREET})\b"
    rf"(?:,?\s*{_HOUSE}\b)?"
    rf"|(?:{_UP}{_WORD}\s+){{1,2}}(?:{_LATIN_PLACE})\b"
    rf"|\b(?:Apartment|Apt\.?|Flat|Room|Building|Bldg\.?|Unit|Daire|Blok|кв\.|квартира)\s*(?<!\d)\d++\w?"
)
_CYR_UP = r"[А-ЯЁӘҒҚҢӨҰҮҺІ]"
_CYR_STREET = (
    r"ул\.|улица|улице|улицы|улицу|пр\.|просп\.|проспект\w*|мкр\.?|микрорайон\w*|пер\.|переулок"
    r"|переулке|көшесі\w*|даңғылы\w*|шағын\s?ауданы\w*"
)
_CYR_HOUSE = (
    r"(?:,?\s*(?:д\.|дом|үй)?\s*(?<!\d)\d++\w?(?:-үй|-й)?"
    r"(?:\s*,?\s*(?:кв\.|квартира|пәтер)\s*(?<!\d)\d++)?)?"
)
_CYR_PLACE = r"сел[оеа]|деревн[яеи]|аул[ае]?|ауыл\w*|посёл\w*|посел\w*|кент\w*|район\w*"
_ADDRESS_CYRILLIC = re.compile(
    rf"(?:{_CYR_STREET})\s*{_CYR_UP}[\w\-]*(?:\s+[\w\-]+)?{_CYR_HOUSE}"
    rf"|{_CYR_UP}[\w\-]+(?:\s+{_CYR_UP}?[\w\-]+)?\s+(?:{_CYR_STREET}|{_CYR_PLACE}){_CYR_HOUSE}"
    rf"|(?:{_CYR_PLACE})\s+{_CYR_UP}[\w\-]+"
)
# Uyghur Arabic: a word before village / street / quarter / county words (with their case
# endings), and house numbers written 12-نومۇر with the road before them (يولى alone is
# also "way").
_AR = r"[\u0620-\u064a\u0671-\u06d3\u06d5]+"
_ADDRESS_ARABIC = re.compile(
    rf"{_AR}\s+(?:يېزىسى|يېزا|كەنتى|مەھەللىسى|كوچىسى|ناھىيىسى|بازىرى|قىشلىقى)"
    rf"(?:دا|دىكى|دىن|غا|گە|نىڭ)?"
    rf"(?:\s*(?<!\d)\d++\s*-?\s*(?:نومۇر|ئۆي)[\u0620-\u06d5]*)?"
    rf"|(?:{_AR}\s+يولى\s*)?(?<!\d)\d++\s*-?\s*(?:نومۇرلۇق|نومۇر)[\u0620-\u06d5]*"
)
# Chinese: up to six characters before a road/street/village word, a house number after.
# The lead-in stops at common function characters so "我家住在" is not swept in.
_HAN_STOP = "的在是了和从到于住我他她们去回个这那里家一被把来说都也就还已向给对与及或为"
_HAN_LEAD = rf"(?:(?![{_HAN_STOP}])[\u4e00-\u9fff])"
_HAN_HOUSE = r"\s*(?<!\d)\d++\s*(?:号|弄|栋|号楼|单元|室|楼)"
# Roads and villages with or without a number; estates and districts (社区, 小区, 区) only
# with one, as 地区 and 社区 are also plain words.
_ADDRESS_CHINESE = re.compile(
    rf"{_HAN_LEAD}{{1,6}}(?:路|街|大道|巷|胡同|村|乡|镇)(?:{_HAN_HOUSE})*"
    rf"|{_HAN_LEAD}{{2,6}}(?:社区|小区|街道|公寓|大厦|区|县)(?:{_HAN_HOUSE})+"
    rf"|(?<!\d)\d++\s*(?:号|栋|号楼|单元|室)(?:{_HAN_HOUSE})*"
)


# Cities and prefectures named before a street are public knowledge, not the address: a
# Chinese address match that starts with one starts after it.
HAN_CITIES = (
    "乌鲁木齐",
    "喀什",
    "伊宁",
    "阿克苏",
    "和田",
    "吐鲁番",
    "哈密",
    "库尔勒",
    "石河子",
    "昌吉",
    "克拉玛依",
    "奎屯",
    "阿勒泰",
    "塔城",
    "博乐",
    "阿图什",
    "北京",
    "上海",
)


def _after_city(text: str, start: int, end: int) -> int:
    for city in HAN_CITIES:
        at = text.find(city, max(0, start - len(city) + 1), end)
        if at >= 0 and start < at + len(city) < end - 1:
            start = at + len(city)
    return start


def addresses(text: str) -> Iterator[Hit]:
    """Street addresses and village names written with their marker words, in Latin (English,
    Turkish, pinyin, ULY), Cyrillic (Russian, Kazakh), Uyghur Arabic and Chinese."""
    for pattern in (_ADDRESS_LATIN, _ADDRESS_CYRILLIC, _ADDRESS_ARABIC):
        for m in pattern.finditer(text):
            if m.end() > m.start():
                yield m.start(), m.end(), "address"
    for m in _ADDRESS_CHINESE.finditer(text):
        start = _after_city(text, m.start(), m.end())
        if m.end() > start:
            yield start, m.end(), "address"


def all_hits(text: str) -> Iterator[Hit]:
    """Every detector's hits on a normalised text."""
    yield from id_numbers(text)
    yield from phones(text)
    yield from emails(text)
    yield from handles(text)
    yield from coordinates(text)
    yield from addresses(text)
