"""One definition of "CJK character" (brochure/cjk.py), as the three places that use it see it.

Rare characters in people's names (生僻字) live in Extension A and beyond, outside the block of
everyday characters: 赵孟𬱖 is written with U+2CC56 (Extension E), 刘䶮 with U+4DAE (Extension A).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure.importer import Article, repair
from brochure.render import markdown_field
from brochure.validate import reading_minutes

pytestmark = pytest.mark.unit

RARE = ["䶮", "𬱖", "𠮷", "隣"]  # Extension A, E, B; a compatibility ideograph (U+F9F1)


@pytest.mark.parametrize("rare", RARE)
def test_a_line_break_next_to_a_rare_character_in_a_summary_is_only_window_wrapping(rare):
    assert markdown_field(f"主讲人赵孟{rare}\n教授") == f"主讲人赵孟{rare}教授"
    assert markdown_field(f"主讲：\n{rare}华") == f"主讲：{rare}华"


def test_a_line_break_before_a_full_width_comma_or_a_list_number_is_removed():
    assert markdown_field("课程一\n，课程二\n㈠ 概述") == "课程一，课程二㈠ 概述"


def test_a_line_break_between_korean_or_latin_words_stays():
    assert markdown_field("교육\n과정") == "교육\n과정"
    assert markdown_field("见 MkDocs\nMaterial") == "见 MkDocs\nMaterial"


@pytest.mark.parametrize("rare", RARE)
def test_reading_time_counts_a_rare_character_as_a_character(rare):
    assert reading_minutes(rare * 401) == 2


def test_reading_time_counts_full_width_punctuation_like_other_cjk_punctuation():
    assert reading_minutes("，" * 401) == reading_minutes("。" * 401) == 2


@pytest.mark.parametrize("rare", RARE)
def test_the_importer_treats_a_rare_character_as_chinese(rare):
    article = Article(Path("a.txt"))
    assert repair(f"主讲:赵孟{rare},李明德", article) == f"主讲：赵孟{rare}，李明德"
    assert repair(f"赵孟{rare}.下午参观", article) == f"赵孟{rare}。下午参观"
    assert repair(f"{rare}(fǔ)", article) == rare
    assert article.repaired


def test_the_importer_leaves_punctuation_between_latin_words_and_times():
    article = Article(Path("a.txt"))
    assert repair("10:30 a, b", article) == "10:30 a, b"
    assert not article.repaired
