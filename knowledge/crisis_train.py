"""`python -m knowledge.crisis_train`: train the crisis model from the examples into `crisis/model.npz`.

Run it after editing `crisis/examples/*.yaml` or a lexicon (a test says when the model is stale).
Training data: every example of every language (one class per kind, `calm` for the harmless ones),
the lexicon phrases as examples of their kind, and every example question of the knowledge base as
calm (people ask these without being in danger). scikit-learn is used here only, never when serving.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import yaml

from knowledge.crisis_model import (
    CALM,
    EXAMPLES_DIR,
    LEXICON_DIR,
    MODEL_PATH,
    N_BUCKETS,
    term_counts,
    training_hash,
)
from knowledge.loader import load_knowledge

KINDS = ("violence_now", "held", "suicide", "medical")
CLASSES = (CALM, *KINDS)
# Weak regularisation: the many rare n-grams that dialect and typos bring must keep their weight.
C = 20.0
# A danger example counts twice a calm one: there are far fewer of them, and missing one costs more.
# (Fully balanced classes made short calm questions look like danger.)
DANGER_WEIGHT = 2.0


# People write Bulgarian and Russian in Cyrillic or in Latin letters (with digits for letters: 4 = ч,
# 6 = ш). Every example is also learnt in the other script, so that one written in Latin letters
# teaches the Cyrillic message too. Rough on purpose: it only has to give the same n-grams.
_CYR_TO_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sht",
    "ъ": "a",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_DIGIT_LETTERS = {"ч": "4", "ш": "6", "я": "q", "ж": "j", "ц": "c"}  # the texting spellings
_LAT_TO_CYR = [
    ("sht", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ya", "я"),
    ("ja", "я"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("ts", "ц"),
    ("kh", "х"),
    ("4", "ч"),
    ("6", "ш"),
    ("q", "я"),
    ("w", "в"),
    ("x", "х"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("j", "ж"),
    ("y", "ы"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "ц"),
]


# Moroccan Darija is typed in Arabic letters or in Arabizi (3 = ع, 7 = ح, 9 = ق): both ways, as above.
_ARABIZI_TO_AR = [
    ("kh", "خ"),
    ("gh", "غ"),
    ("ch", "ش"),
    ("sh", "ش"),
    ("ou", "و"),
    ("3", "ع"),
    ("7", "ح"),
    ("9", "ق"),
    ("2", "ء"),
    ("5", "خ"),
    ("a", "ا"),
    ("b", "ب"),
    ("t", "ت"),
    ("j", "ج"),
    ("d", "د"),
    ("r", "ر"),
    ("z", "ز"),
    ("s", "س"),
    ("f", "ف"),
    ("q", "ق"),
    ("k", "ك"),
    ("l", "ل"),
    ("m", "م"),
    ("n", "ن"),
    ("h", "ه"),
    ("w", "و"),
    ("o", "و"),
    ("u", "و"),
    ("i", "ي"),
    ("y", "ي"),
    ("e", ""),
    ("g", "ك"),
    ("v", "ف"),
    ("p", "ب"),
    ("x", "كس"),
]
_AR_TO_ARABIZI = {
    "ا": "a",
    "أ": "a",
    "إ": "i",
    "آ": "a",
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ج": "j",
    "ح": "7",
    "خ": "kh",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "ch",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "d",
    "ع": "3",
    "غ": "gh",
    "ف": "f",
    "ق": "9",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "ou",
    "ي": "i",
    "ى": "a",
    "ء": "2",
    "ئ": "2",
    "ؤ": "2",
}


def _spell(text: str, table: list[tuple[str, str]], keep: tuple[str, ...] = ()) -> str:
    out, i = [], 0
    while i < len(text):
        for latin, other in table:
            if text.startswith(latin, i) and latin not in keep:
                out.append(other)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def other_script(text: str, lang: str) -> list[str]:
    """The same message in the other script, for the languages written both ways."""
    lower = text.lower()
    if lang == "ar":
        if any("\u0600" <= ch <= "\u06ff" for ch in lower):
            return ["".join(_AR_TO_ARABIZI.get(ch, ch) for ch in lower)]
        return [_spell(lower, _ARABIZI_TO_AR)] if any("a" <= ch <= "z" for ch in lower) else []
    if lang not in ("bg", "ru"):
        return []
    if any("\u0400" <= ch <= "\u04ff" for ch in lower):
        plain = "".join(_CYR_TO_LAT.get(ch, ch) for ch in lower)
        texting = "".join(_DIGIT_LETTERS.get(ch) or _CYR_TO_LAT.get(ch, ch) for ch in lower)
        return [plain, texting] if texting != plain else [plain]
    # "sht" is щ in Bulgarian only; in Russian it is ш + т.
    return [_spell(lower, _LAT_TO_CYR, keep=() if lang == "bg" else ("sht",))]


def examples(examples_dir: Path = EXAMPLES_DIR, lexicon_dir: Path = LEXICON_DIR) -> list[tuple[str, str]]:
    """(text, class) pairs from the example files, the lexicons and the knowledge base."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(examples_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for label in CLASSES:
            for text in data.get(label) or ():
                pairs.extend((variant, label) for variant in (str(text), *other_script(str(text), path.stem)))
    for path in sorted(lexicon_dir.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for kind in KINDS:
            for text in data.get(kind) or ():
                phrase = str(text).replace("*", "")
                pairs.extend((variant, kind) for variant in (phrase, *other_script(phrase, path.stem)))
    kb = load_knowledge().kb
    for by_lang in kb.translations.values():
        for translation in by_lang.values():
            pairs.extend((question, CALM) for question in translation.questions)
    return pairs


def matrix(texts: list[str]):  # a scipy sparse matrix: scipy is imported here only
    from scipy.sparse import csr_matrix

    rows, cols, vals = [], [], []
    for row, text in enumerate(texts):
        for bucket, value in term_counts(text).items():
            rows.append(row)
            cols.append(bucket)
            vals.append(value)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), N_BUCKETS), dtype=np.float64)


def fit(pairs: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize as l2_rows

    texts = [text for text, _ in pairs]
    labels = np.array([CLASSES.index(label) for _, label in pairs])
    counts = matrix(texts)
    df = np.bincount(counts.indices, minlength=N_BUCKETS)
    idf = np.log((1 + len(texts)) / (1 + df)) + 1.0  # smooth idf, as scikit-learn's TfidfTransformer
    features = l2_rows(counts.multiply(idf).tocsr())
    weights = {i: 1.0 if label == CALM else DANGER_WEIGHT for i, label in enumerate(CLASSES)}
    model = LogisticRegression(C=C, class_weight=weights, max_iter=3000)
    model.fit(features, labels)
    coef = np.zeros((len(CLASSES), N_BUCKETS), dtype=np.float32)
    coef[model.classes_] = model.coef_
    intercept = np.full(len(CLASSES), -30.0, dtype=np.float32)
    intercept[model.classes_] = model.intercept_
    return {"classes": np.array(CLASSES), "idf": idf.astype(np.float32), "coef": coef, "intercept": intercept}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    pairs = examples()
    arrays = fit(pairs)
    np.savez_compressed(args.out, trained_on=np.array(training_hash()), **arrays)
    by_class = {label: sum(1 for _, c in pairs if c == label) for label in CLASSES}
    print(f"crisis model: {len(pairs)} examples {by_class} -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
