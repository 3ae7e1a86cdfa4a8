"""A shopper's query as terms every backend understands the same way.

Each query word becomes one :class:`Term`; a product matches when it matches every term
(AND). A term is a small OR of alternatives, each an AND of tokens:

- a latin or digit word (``dazha``, ``dzx``, ``ikea``, ``1.8``) is one *prefix* token, so it
  finds pinyin words, syllables and initials as the shopper types;
- a Chinese word is the word itself, OR all of its characters in the name, brand or tags.
  jieba segments the same characters differently in different contexts (``实木床`` -> 实
  木床), so a name that contains 实 and 木 still answers a search for 实木; names, brands and
  tags carry their characters as marked tokens (:data:`~.text.CHAR_MARK`) for exactly this,
  so a 红 in the colour and a 木 in the name do not make a match for 红木.

Backends render terms to FTS5 MATCH syntax, a PostgreSQL ``tsquery`` or ``LIKE`` conditions,
which all mean the same on the same stored tokens (see :mod:`regionmall.catalog.search.text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from regionmall.catalog.search.text import CHAR_MARK, is_cjk, query_words

MAX_TERMS = 8
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Token:
    text: str
    prefix: bool = False


@dataclass(frozen=True)
class Term:
    word: str
    alternatives: tuple[tuple[Token, ...], ...]


def parse(q: str) -> list[Term]:
    """The terms of ``q`` (at most :data:`MAX_TERMS`, duplicates dropped)."""
    terms: list[Term] = []
    seen: set[str] = set()
    for word in query_words((q or "")[:MAX_QUERY_LENGTH]):
        if word in seen:
            continue
        seen.add(word)
        terms.append(_term(word))
        if len(terms) == MAX_TERMS:
            break
    return terms


def _term(word: str) -> Term:
    if not is_cjk(word):
        return Term(word, ((Token(word, prefix=True),),))
    characters = tuple(Token(CHAR_MARK + c) for c in dict.fromkeys(word))
    return Term(word, ((Token(word),), characters))


def like_pattern(token: Token) -> str:
    """The ``LIKE`` pattern finding ``token`` in a stored field (tokens have no % or _)."""
    return f"% {token.text}%" if token.prefix else f"% {token.text} %"
