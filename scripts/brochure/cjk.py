"""What counts as Chinese (CJK) text, stated once for the three places that ask.

Each constant is the inside of a regular-expression character class (`f"[{HAN}]"`), built from
the named Unicode ranges below, so that a use combines ranges instead of restating them.

The three uses want different sets, on purpose:

- `HAN`, "a Chinese character" (汉字): the importer's fixes, which turn `,` after a character into
  `，` and drop the pinyin a conversion widget put after one. Only ideographs: punctuation or
  kana next to a half-width comma say nothing about whether the comma is a Chinese one.
- `WRITTEN_WITHOUT_SPACES`, text in which a line break is only where the editor's window wrapped
  (`render.markdown_field` removes it, since HTML would show it as a space mid-sentence): the
  ideographs, kana and bopomofo, CJK punctuation and symbols, and the full-width forms (`，`,
  `：`, `（`), since 。\\n第 is as much one sentence as 字\\n字. Not Hangul: Korean puts spaces
  between words, so a break there is a space.
- `READ_ONE_BY_ONE`, what reading time counts character by character (`validate.reading_minutes`;
  everything else counts by words): all of the above, and Hangul syllables, which are read one by
  one although Korean is written with spaces. Punctuation counts, `，` as much as `。`: the reader
  pauses there.

Every set that means Chinese characters includes Extension A, the compatibility ideographs and
the planes of Extension B onwards: rare characters (生僻字) in people's names live there.
"""

from __future__ import annotations

# The named ranges.
UNIFIED_IDEOGRAPHS = "\u4e00-\u9fff"  # CJK Unified Ideographs: the everyday characters
EXTENSION_A = "\u3400-\u4dbf"  # rarer characters, 䶮 among them
COMPATIBILITY_IDEOGRAPHS = "\uf900-\ufaff"  # duplicates kept for old encodings (Big5, KS X 1001)
# The Supplementary and Tertiary Ideographic Planes hold nothing but ideographs: Extensions B to
# I and the compatibility supplement. Names need them: 赵孟𬱖 (U+2CC56), 𠮷 (U+20BB7), a variant of 吉.
IDEOGRAPHIC_PLANES = "\U00020000-\U0003ffff"
# CJK and Kangxi radicals: text copied out of a PDF often has ⽇ (U+2F47) where 日 was meant.
RADICALS = "\u2e80-\u2fdf"
IDEOGRAPHIC_ZERO = "\u3007"  # 〇, as in 二〇二五年
CJK_PUNCTUATION = "\u3000-\u303f"  # 。、「」【】《》 and the ideographic space
CJK_SYMBOLS = "\u3200-\u33ff"  # enclosed and squared forms: ㈠ as a list number, ㎡
FULL_WIDTH_FORMS = "\uff00-\uffef"  # ，：；！？（） and full-width letters and digits
KANA = "\u3040-\u30ff\u31f0-\u31ff"  # hiragana, katakana: Japanese, also written without spaces
BOPOMOFO = "\u3100-\u312f\u31a0-\u31bf"  # 注音符号, as Taiwanese texts annotate readings
HANGUL = "\uac00-\ud7af"  # Hangul syllables: Korean, written with spaces between words

# The uses (see the docstring for which is which).
HAN = UNIFIED_IDEOGRAPHS + EXTENSION_A + COMPATIBILITY_IDEOGRAPHS + IDEOGRAPHIC_PLANES + RADICALS + IDEOGRAPHIC_ZERO
WRITTEN_WITHOUT_SPACES = HAN + KANA + BOPOMOFO + CJK_PUNCTUATION + CJK_SYMBOLS + FULL_WIDTH_FORMS
READ_ONE_BY_ONE = WRITTEN_WITHOUT_SPACES + HANGUL
