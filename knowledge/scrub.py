"""Remove what could identify someone from a question before it is kept for editors (only with their
consent, flows/keep_question.py): phone numbers however written, e-mail addresses also when spelled
out, @handles and account names, links and domains, long digit runs, and what can be told of names
and street addresses.

Phone numbers are found by Google's libphonenumber (`phonenumbers`) and by rules of our own for how
people hide them from filters: `0478_123.456`, zero-width spaces, letters for digits (`o478 I23 456`).
Removing too much costs an editor a word; removing too little can cost someone their safety.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

REMOVED = "[…]"
MAX_LENGTH = 500
REGION = "BE"  # numbers written without a country code are read as Belgian ones

# Invisible characters used to split a number or an address so that filters miss it.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Letters that stand in for digits, read as digits only inside a token that has a digit already.
_AS_DIGIT = str.maketrans(
    {"o": "0", "O": "0", "I": "1", "l": "1", "i": "1", "|": "1", "S": "5", "B": "8", "Z": "2", "z": "2"}
)
_TOKEN_WITH_DIGIT = re.compile(r"[\w|]*\d[\w|]*")

_AT = r"(?:@|\s*[(\[{<]\s*(?:at|a|arobase|apenstaartje|chiocciola)\s*[)\]}>]\s*|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*(?:dot|punt|point|punto|ponto)\s*[)\]}>]\s*|\s+(?:dot|punt|point|punto|ponto)\s+)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)+", re.IGNORECASE)
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Any name.tld: a sentence without a space after its full stop is lost too, which is the safe side.
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,24}\b(?:/\S*)?", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.])@[\w.]{2,}")
# Not the short ones that are everyday words too ("of", "x", "line").
_NETWORKS = (
    r"insta(?:gram)?|ig|snap(?:chat)?|tik ?tok|tg|telegram|twitter|fb|facebook|only ?fans|"
    r"whats ?app|signal|reddit|discord|kik|wechat|viber|skype|tinder|grindr|bumble"
)
_ACCOUNT = re.compile(
    rf"\b(?:{_NETWORKS})\b(?:\s*(?:[:=>\-–]+|\b(?:is|es|est|ist|é|este|on|op)\b:?)\s*|\s+)@?[\w.]{{2,}}",
    re.IGNORECASE,
)
# Long digit runs however separated: phone numbers libphonenumber does not accept, bank accounts, ids.
_DIGIT_RUN = re.compile(r"(?:\+|00)?\d[\d\s().\-/_,]{5,}\d")

# Street addresses: a street word and a house number, in the languages people write here.
_STREET_WORDS = (
    r"straat|str|laan|weg|plein|steenweg|dreef|lei|kaai|markt|gracht|singel|dijk|hof|"
    r"street|st|road|rd|avenue|ave|lane|drive|strasse|straße"
)
_STREET_AFTER = re.compile(
    rf"\b[\w'’-]*(?:{_STREET_WORDS})\b\.?\s*\d+\s*[a-z]?\b(?:\s*(?:bus|bte|boite|box)\s*\d+)?", re.IGNORECASE
)
_STREET_BEFORE = re.compile(
    r"\b(?:rue|avenue|av|boulevard|bd|chauss[ée]e|place|all[ée]e|quai|calle|avenida|rua|travessa|via|strada|"
    r"str(?:ada)?|ulica|ul|utca|rruga|bulevard|ulitsa|улица|ул|бул|шосе)\.?\s+(?:[\w'’-]+\s+){0,4}?\d+\s*[a-z]?\b",
    re.IGNORECASE,
)
_POSTCODE_PLACE = re.compile(r"\b[1-9]\d{3}\s+[A-ZÀ-Ý][\w'’-]+")

# A name after an introduction or a title: the word(s) after it, when written with a capital.
_INTRODUCTIONS = (
    r"my name is|my name's|i am called|i'm called|call me|this is|i am|i'm|im|"
    r"mijn naam is|ik heet|ik ben|noem me|"
    r"je m'appelle|je m’appelle|mon nom est|moi c'est|moi c’est|je suis|"
    r"me llamo|mi nombre es|soy|"
    r"meu nome é|me chamo|sou|eu sou|"
    r"mă numesc|ma numesc|numele meu este|sunt|"
    r"казвам се|името ми е|аз съм|"
    r"a nevem|vagyok|"
    r"quhem|emri im është|emri im eshte|jam|"
    r"меня зовут|моё имя|мое имя|я|"
    r"ชื่อ|"
    r"اسمي|أنا|"
    r"mr|mrs|ms|miss|mister|meneer|mevrouw|mevr|dhr|mme|mlle|madame|monsieur|sr|sra|srta|señor|señora|"
    r"senhor|senhora|dna|dl|doamna|domnul|г-н|г-жа|господин|госпожа"
)
_CAPITALISED = r"[A-ZÀ-ÝА-ЯЁ][\w'’-]*"
_UNCASED = r"[\u0600-\u06ff\u0e00-\u0e7f][\w'’-]*"  # Arabic and Thai have no capitals: any word
_NAMED = re.compile(
    rf"(?:(?<=\s)|(?<=^)|(?<=[,.;:!?(]))(?i:{_INTRODUCTIONS})\.?\s+"
    rf"((?:{_CAPITALISED}|{_UNCASED})(?:\s+{_CAPITALISED}){{0,2}})"
)


def _digit_view(text: str) -> str:
    """The text with stand-in letters read as digits and `_` as a space, character for character (so
    positions found in it are positions in `text`)."""

    def as_digits(match: re.Match[str]) -> str:
        return match.group().translate(_AS_DIGIT)

    return _TOKEN_WITH_DIGIT.sub(as_digits, text).replace("_", " ")


def _phone_spans(text: str) -> list[tuple[int, int]]:
    view = _digit_view(text)
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(view, REGION, leniency=phonenumbers.Leniency.POSSIBLE)
    ]
    spans += [m.span() for m in _DIGIT_RUN.finditer(view)]
    # Digits split by letters-for-digits with spaces between ("o4 78 I2 34 56") are also runs here.
    return spans


def _cut(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        if end <= last:
            continue
        start = max(start, last)
        out.append(text[last:start])
        out.append(REMOVED)
        last = end
    out.append(text[last:])
    return "".join(out)


def _name_spans(text: str) -> list[tuple[int, int]]:
    return [match.span(1) for match in _NAMED.finditer(text)]


def scrub(text: str) -> str:
    # NFKC: a full-width ＠ or digit is the plain one; invisible separators go before anything is read.
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = text.replace(
        "[...]", REMOVED
    )  # what NFKC made of an earlier pass's mark: scrubbing twice changes nothing
    for pattern in (_EMAIL, _LINK, _ACCOUNT, _HANDLE, _DOMAIN):
        text = pattern.sub(REMOVED, text)
    # Addresses before phone numbers: a house number and a postcode look like a digit run together.
    text = _cut(
        text, [m.span() for p in (_STREET_AFTER, _STREET_BEFORE, _POSTCODE_PLACE) for m in p.finditer(text)]
    )
    text = _cut(text, _phone_spans(text))
    text = _cut(text, _name_spans(text))
    text = re.sub(rf"{re.escape(REMOVED)}(?:[\s,;]*{re.escape(REMOVED)})+", REMOVED, text)
    text = re.sub(rf"{re.escape(REMOVED)}\s+(?=[,.;:!?])", REMOVED, text)
    return re.sub(r"\s+", " ", text).strip()[:MAX_LENGTH]
