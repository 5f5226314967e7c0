"""What the scrubber takes out of a question before it is kept (with consent): each way people write
a number, an address or an account to get past filters, and the question itself left readable."""

from __future__ import annotations

import pytest

from knowledge.scrub import REMOVED, scrub

HIDDEN = [
    ("call me on 0478 12 34 56", "0478"),
    ("call me on +32 478 12 34 56", "478"),
    ("0032478123456 after 6", "0032478"),
    ("number: 0478_123_456", "123"),
    ("number: 0478,123,456", "123"),
    ("number: 0478.12.34.56", "0478"),
    ("number: 0478\u200b12\u200b34\u200b56", "0478"),
    ("number: 0\u2060478 12 34 56", "478"),
    ("number: o478 I23 456", "I23"),
    ("number: ０４７８ １２ ３４ ５６", "４７８"),
    ("mail x[at]gmail[dot]com", "gmail"),
    ("mail x (at) gmail (dot) com", "gmail"),
    ("mail jess.v@hotmail.be", "hotmail"),
    ("insta: jess_92", "jess_92"),
    ("my snap is jess_92", "jess_92"),
    ("＠jess_92 write me", "jess_92"),
    ("@jess_92 write me", "jess_92"),
    ("my site is jessescort.be", "jessescort"),
    ("see https://example.org/x?y=1", "example"),
    ("I am Jessica and I need help", "Jessica"),
    ("my name is Jess Vermeulen", "Vermeulen"),
    ("ik ben Anouk, ik werk in een bar", "Anouk"),
    ("je m'appelle Chloé", "Chloé"),
    ("меня зовут Анна", "Анна"),
    ("I live at Kerkstraat 12 bus 3", "Kerkstraat"),
    ("j'habite rue de la Loi 16", "Loi"),
    ("postcode 2000 Antwerpen", "2000"),
    ("iban BE71 0961 2345 6769", "0961"),
]


@pytest.mark.parametrize(("text", "secret"), HIDDEN)
def test_it_is_taken_out(text: str, secret: str) -> None:
    cleaned = scrub(text)
    assert secret.lower() not in cleaned.lower(), cleaned
    assert REMOVED in cleaned


@pytest.mark.parametrize(
    "question",
    [
        "is prep free in belgium",
        "what is hiv and how do i get tested",
        "i am pregnant what do i do",
        "can the police take my passport",
        "how much does a test cost, 20 euro?",
        "je suis enceinte, que faire",
        "what is the price of condoms at the pharmacy",
        "where is the line for the x ray",
    ],
)
def test_a_question_without_details_is_left_as_it_is(question: str) -> None:
    assert scrub(question) == question


def test_scrubbing_twice_changes_nothing() -> None:
    once = scrub("insta: jess_92 and 0478 12 34 56, what now")
    assert scrub(once) == once
