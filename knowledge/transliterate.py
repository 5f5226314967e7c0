"""Russian and Bulgarian typed in Latin letters, folded back to Cyrillic.

People on a phone without a Cyrillic keyboard write "gde sdelat test", "kude da otida", with digits
for letters that Latin lacks: 4 = ч, 6 = ш ("ni6to", "hap4e"), and q = я, w = в in Bulgarian chat.
Transliteration libraries implement the official schemes (GOST, the Bulgarian streamlined system)
and know neither the digits nor q/w/j as people use them, so the chat conventions are a table here.
The folding is greedy, longest sequence first; a word with digits only (a price, an age) is kept.
"""

from __future__ import annotations

import re


def _pairs(spec: str) -> dict[str, str]:
    """ "a=а b=б" as {"a": "а", "b": "б"}: the tables read as one line per habit."""
    return dict(pair.split("=") for pair in spec.split())


_COMMON = _pairs(
    "shch=щ sch=щ zh=ж kh=х ch=ч sh=ш ts=ц yu=ю ju=ю yo=е jo=е ya=я ja=я ye=е 4=ч 6=ш w=в x=х q=я '=ь "
    "a=а b=б c=ц d=д e=е f=ф g=г h=х i=и k=к l=л m=м n=н o=о p=п r=р s=с t=т u=у v=в z=з"
)
# Where the two languages' chat habits differ: Bulgarian "sht" and "6t" are щ, "j" is ж ("kaja"),
# "y" is ъ; Russian "j" is й ("ujti"), "y" is ы ("novyi"). Bulgarian "u" is у or ъ ("kude" = къде):
# normalize.py reads ъ as у, so either way it matches.
_TABLES = {
    "ru": {**_COMMON, **_pairs("j=й y=ы yi=ый iy=ий ye=ые 3=з tsya=тся tsa=тся")},
    "bg": {**_COMMON, **_pairs("sht=щ 6t=щ j=ж ja=жа ju=жу jo=жо y=ъ iu=ю ia=я")},
}
_LONGEST = max(len(key) for table in _TABLES.values() for key in table)
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"[a-z0-9']+")


def transliterable(lang: str | None) -> bool:
    return lang in _TABLES


def mostly_latin(text: str) -> bool:
    return len(_LATIN.findall(text.lower())) > 2 * len(_CYRILLIC.findall(text.lower()))


def to_cyrillic(text: str, lang: str) -> str:
    """`text` with every Latin word written in Cyrillic by the chat conventions of `lang` (ru or bg)."""
    table = _TABLES[lang]
    return _WORD.sub(lambda m: _fold(m.group(0), table, lang), text.lower())


def _fold(word: str, table: dict[str, str], lang: str) -> str:
    if not _LATIN.search(word):
        return word  # "15", "20": numbers stay numbers
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in range(min(_LONGEST, len(word) - i), 0, -1):
            piece = table.get(word[i : i + size])
            if piece is not None:
                out.append(piece)
                i += size
                break
        else:
            out.append(word[i])
            i += 1
    return "".join(out)
