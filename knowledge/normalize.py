"""Text normalisation shared by matching and the crisis check.

People type without accents, in capitals, with stretched letters ("helppp"), in Arabic with or
without diacritics and alef variants, in Thai without spaces. Both the knowledge base and the
question go through the same function, so these differences stop mattering.
"""

from __future__ import annotations

import re
import unicodedata

_ARABIC_MAP = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي", "ـ": ""}
)
# Bulgarian typed in Latin letters writes ъ as "u" ("kude" = къде), like у: read alike, they match.
_CYRILLIC_MAP = str.maketrans({"ъ": "у", "ё": "е"})
_KEEP_MARKS_SCRIPTS = ("THAI",)  # Thai vowels and tone marks are combining characters but carry meaning
_NON_WORD = re.compile(r"[^\w\u0E00-\u0E7F]+", re.UNICODE)
_REPEATS = re.compile(r"(\D)\1{2,}")  # "pleeease" → "pleease": keeps doubled letters, drops stretching
_THAI = re.compile(r"[\u0E00-\u0E7F]")
# English contractions come with the apostrophe (phone keyboards add it) or without: "he's" and "hes",
# "don't" and "dont", "I'm" and "im" must read the same. Joined, they do. Every other apostrophe
# separates words, as in French "l'hôpital", "j'ai peur", so that "hopital" is still a word.
_CONTRACTION = re.compile(r"(?<=\w)'(?=(?:s|m|t|re|ve|ll|d)\b)")
_SOS = "\U0001f198"  # 🆘: an emoji, which would otherwise go with the punctuation


def _strip_marks(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            base = out[-1] if out else ""
            if base and any(script in unicodedata.name(base, "") for script in _KEEP_MARKS_SCRIPTS):
                out.append(char)
            continue  # accents, Arabic harakat, Cyrillic breve: dropped
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def normalize(text: str) -> str:
    """Lower case, no accents or diacritics, unified Arabic letters, punctuation as single spaces."""
    text = text.casefold().replace("’", "'").replace("ʼ", "'").replace("ß", "ss").replace(_SOS, " sos ")
    text = _strip_marks(text).translate(_ARABIC_MAP).translate(_CYRILLIC_MAP)
    text = _CONTRACTION.sub("", text).replace("'", " ").replace("_", " ")
    text = _NON_WORD.sub(" ", text)
    text = _REPEATS.sub(r"\1\1", text)
    return " ".join(text.split())


def has_thai(text: str) -> bool:
    return bool(_THAI.search(text))
