"""From Chinese text to search tokens, the same way for products and for queries.

Databases cannot segment Chinese, so segmentation happens here and the database only ever
sees space-separated tokens:

- Text is NFKC-normalised (full-width ``ＡＢＣ１２`` becomes ``abc12``) and lower-cased, then
  split into runs: CJK runs go through jieba (dictionary only, ``HMM=False``, so the same
  characters segment the same way in a product and in a query), digit runs keep a decimal
  point (``1.8``), other letters/digits stay whole (``ikea``, ``iphone15``).
- Documents use ``cut_for_search`` (``阳澄湖大闸蟹`` -> 阳澄湖 大闸 大闸蟹); queries use the
  precise cut (-> 阳澄湖 大闸蟹), so every query word is one a document would also carry.
- Name, brand and tag words also get their pinyin: the whole word (``dazhaxie``), each
  syllable (``da`` ``zha`` ``xie``) and the initials (``dzx``), plus the pinyin and initials of
  each whole CJK run of the name; latin query words match these as prefixes, so ``dazha`` and
  ``dzx`` both find 大闸蟹. Each CJK character of these short fields is a token too, marked
  with :data:`CHAR_MARK` so it cannot be confused with a one-character word elsewhere (see
  :mod:`regionmall.catalog.search.query`, which falls back on them).

Tokens contain only characters that SQLite's unicode61 tokenizer keeps inside a token (plus
``.`` between digits, declared as a token character), so FTS5, PostgreSQL and LIKE all see the
very same tokens.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"(?P<cjk>[{CJK}]+)|(?P<num>[0-9]+(?:\.[0-9]+)?)|(?P<word>[^\W_{CJK}]+)")
_CJK_CHAR = re.compile(rf"[{CJK}]")
_PINYIN = re.compile(r"^[a-z]+$")
# Prefix of a name/brand/tag character token ("\ue000木"): a private-use character, which
# user text never yields (it is not alphanumeric) and unicode61 keeps inside a token.
CHAR_MARK = "\ue000"

# Function words that carry no meaning in a product search ("好吃的大闸蟹"). Single
# characters still index as characters of a name, so "的" in a name is not lost.
STOPWORDS = frozenset([
    "的", "了", "和", "与", "及", "或", "是", "在", "为", "等", "之", "其", "也", "都", "很", "就",
    "而", "着", "把", "被", "让", "给", "从", "向", "对", "于", "以", "并", "且", "这", "那", "个",
    "们", "吗", "呢", "吧", "啊", "呀", "哦",
])

_jieba = None
_jieba_lock = threading.Lock()


def _tokenizer():
    """jieba's dictionary takes about a second to load: load it once, on first use."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def is_cjk(token: str) -> bool:
    return bool(_CJK_CHAR.match(token))


def _runs(text: str) -> Iterable[tuple[str, str]]:
    for match in _RUN.finditer(normalise(text)):
        yield match.lastgroup or "word", match.group()


@lru_cache(maxsize=100_000)
def _cut(run: str) -> tuple[str, ...]:
    """jieba's precise cut of one CJK run, once: everything else is derived from it."""
    return tuple(_tokenizer().cut(run, HMM=False))


def _with_inner_words(words: Iterable[str]) -> Iterable[str]:
    """jieba's ``cut_for_search`` on already-cut words: the dictionary 2- and 3-grams inside
    long words, then the word (the same algorithm, without cutting the text again)."""
    freq = _tokenizer().dt.FREQ
    for word in words:
        if len(word) > 2:
            yield from (word[i:i + 2] for i in range(len(word) - 1) if freq.get(word[i:i + 2]))
        if len(word) > 3:
            yield from (word[i:i + 3] for i in range(len(word) - 2) if freq.get(word[i:i + 3]))
        yield word


@lru_cache(maxsize=50_000)
def query_words(text: str) -> tuple[str, ...]:
    """Precise segmentation: the words a shopper typed, stopwords dropped, order kept."""
    out: list[str] = []
    for kind, run in _runs(text):
        pieces = _cut(run) if kind == "cjk" else (run,)
        out.extend(p for p in pieces if p.strip() and p not in STOPWORDS)
    return tuple(out)


@lru_cache(maxsize=50_000)
def search_words(text: str) -> tuple[str, ...]:
    """Search-engine segmentation for documents: words and the dictionary words inside them."""
    out: list[str] = []
    for kind, run in _runs(text):
        pieces = _with_inner_words(_cut(run)) if kind == "cjk" else (run,)
        out.extend(p for p in pieces if p.strip() and p not in STOPWORDS)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=50_000)
def _syllables(run: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(s for s in lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
                 if _PINYIN.match(s))


def pinyin_forms(word: str) -> tuple[str, ...]:
    """``大闸蟹`` -> ``dazhaxie``, ``da``, ``zha``, ``xie``, ``dzx``; nothing for non-CJK."""
    if not is_cjk(word):
        return ()
    syllables = _syllables(word)
    if not syllables:
        return ()
    whole = "".join(syllables)
    if len(syllables) == 1:  # one character: its initial alone would match far too much
        return (whole,)
    initials = "".join(s[0] for s in syllables)
    return tuple(dict.fromkeys((whole, *syllables, initials)))


def _run_pinyin(run: str) -> tuple[str, ...]:
    """Whole-run pinyin and initials, composed from the (cached) pinyin of its words: a
    product name is seldom seen twice, its words are seen all the time."""
    syllables: list[str] = []
    for word in _cut(run):
        syllables.extend(_syllables(word))
    if len(syllables) < 2:
        return ()
    return "".join(syllables), "".join(s[0] for s in syllables)


@lru_cache(maxsize=50_000)
def title_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a short title field (name, brand, tag): words, characters and pinyin."""
    words = search_words(text)
    out: list[str] = list(words)
    for kind, run in _runs(text):
        if kind == "cjk":
            out.extend(CHAR_MARK + ch for ch in run)  # for the character fallback
            out.extend(_run_pinyin(run))
    for word in words:
        out.extend(pinyin_forms(word))
    return tuple(dict.fromkeys(out))


def body_tokens(text: str) -> tuple[str, ...]:
    """Tokens of longer text (description, attribute values, names of places and shops)."""
    return search_words(text)


def join_tokens(tokens: Iterable[str]) -> str:
    """The stored form: de-duplicated, single spaces, one space at both ends."""
    unique = dict.fromkeys(t for t in tokens if t)
    return " " + " ".join(unique) + " " if unique else " "
