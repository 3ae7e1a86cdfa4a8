"""Segmentation, pinyin and query rendering: the pieces every backend relies on."""

from __future__ import annotations

import pytest

from regionmall.catalog.search import text
from regionmall.catalog.search.backends.postgres import tsquery
from regionmall.catalog.search.backends.sqlite import fts_query
from regionmall.catalog.search.query import Term, Token, like_pattern, parse


def test_title_tokens_carry_words_characters_pinyin_and_initials():
    tokens = text.title_tokens("阳澄湖大闸蟹礼盒")
    for expected in ("阳澄湖", "大闸蟹", "礼盒", text.CHAR_MARK + "蟹", "dazhaxie", "dzx", "da",
                     "zha", "xie", "yangchenghudazhaxielihe", "ychdzxlh"):
        assert expected in tokens


def test_a_single_character_word_gets_its_pinyin_but_no_lone_initial():
    assert text.pinyin_forms("茶") == ("cha",)
    assert text.pinyin_forms("绿茶") == ("lvcha", "lv", "cha", "lc")
    assert text.pinyin_forms("ikea") == ()


def test_full_width_and_case_are_normalised_and_decimals_stay_whole():
    assert text.query_words("ＩＫＥＡ 1.8米") == ("ikea", "1.8", "米")


def test_stopwords_are_dropped_from_queries():
    assert text.query_words("好吃的大闸蟹") == ("好吃", "大闸蟹")


def test_documents_get_the_words_inside_long_words():
    assert {"大闸", "大闸蟹", "礼盒", "礼盒装"} <= set(text.search_words("大闸蟹礼盒装"))


def test_tokens_never_contain_separators():
    for token in text.title_tokens("Ａ-B_c 1.8.9米（红木）/「茶」 d'e \"f\" \ue000"):
        assert token.strip() == token and token
        bare = token.removeprefix(text.CHAR_MARK)
        assert bare and all(ch.isalnum() or ch == "." for ch in bare), token


def test_characters_are_marked_so_a_word_elsewhere_is_not_one():
    assert "红" not in text.title_tokens("红木茶几")
    assert text.CHAR_MARK + "红" in text.title_tokens("红木茶几")


def test_join_tokens_pads_and_deduplicates():
    assert text.join_tokens(["a", "b", "a"]) == " a b "
    assert text.join_tokens([]) == " "


def test_parse_latin_words_are_prefixes_and_chinese_words_fall_back_on_characters():
    terms = parse("dzx 实木 茶 茶")
    assert [t.word for t in terms] == ["dzx", "实木", "茶"]
    assert terms[0].alternatives == ((Token("dzx", prefix=True),),)
    mark = text.CHAR_MARK
    assert terms[1].alternatives == ((Token("实木"),), (Token(mark + "实"), Token(mark + "木")))
    assert terms[2].alternatives == ((Token("茶"),), (Token(mark + "茶"),))


def test_parse_bounds_the_number_of_terms():
    assert len(parse(" ".join(f"w{i}" for i in range(30)))) == 8


@pytest.mark.parametrize("q", ["", "   ", "的", "，。！"])
def test_queries_without_words_have_no_terms(q):
    assert parse(q) == []


def test_backends_render_the_same_terms():
    terms = [Term("实木", ((Token("实木"),), (Token("实"), Token("木")))),
             Term("dz", ((Token("dz", prefix=True),),))]
    assert fts_query(terms) == '(("实木") OR ("实" AND "木")) AND (("dz"*))'
    assert tsquery(terms) == "(('实木') | ('实' & '木')) & (('dz':*))"
    assert like_pattern(Token("dz", prefix=True)) == "% dz%"
    assert like_pattern(Token("实木")) == "% 实木 %"


def test_quotes_are_escaped_in_rendered_queries():
    terms = [Term("x", ((Token('a"b\'c'),),))]
    assert fts_query(terms) == '(("a""b\'c"))'
    assert tsquery(terms) == "(('a\"b''c'))"
