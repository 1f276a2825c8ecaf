"""The Traditional Chinese copy of the site (繁体版).

`brochure build` builds the site a second time, into `<zh_hant_path>/`, with the environment
variable below set. In that build the plugin switches the labels and Material's interface to
zh-Hant and converts every page, title and nav entry with OpenCC. The default, s2tw, converts
characters (with the glyphs Taiwan's standard uses: 為, 群眾, 審核) and leaves the words a
mainland institution writes as they are: 社区 becomes 社區, 项目 項目. s2twp would put in Taiwan
phrases (社群, 專案, 檢視, 軟體), s2t gives OpenCC's own glyphs (爲, 羣衆, 審覈), s2hk Hong
Kong's. The institution's proper nouns that no scheme should touch (岱岳, which OpenCC makes
岱嶽) are listed in the `zh_hant_keep` option. The editors' guide stays Simplified: its YAML
examples are keys an editor must type as they are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

VARIANT_ENV = "BROCHURE_VARIANT"
ZH_HANT = "zh-Hant"
UNCONVERTED_SECTIONS = ("editors/",)


def active_variant() -> str | None:
    return os.environ.get(VARIANT_ENV) or None


# What must not change script: link and image targets (a file may have a Chinese name), HTML
# tags with their attributes (paths, filter values), and code.
_KEEP = re.compile(r"(\]\([^)]*\)|<[^>]+>|`[^`\n]*`)")


def converter(config_name: str, keep: Iterable[str] = ()) -> Callable[[str], str]:
    """The conversion for the Traditional copy: OpenCC's `config_name`, with `keep`, the words
    the institution writes as they are (zh_hant_keep), left alone like link targets and code."""
    import opencc

    convert = opencc.OpenCC(config_name).convert
    words = sorted({word for word in keep if word}, key=len, reverse=True)  # the longest first
    kept = re.compile("(" + _KEEP.pattern[1:-1] + "|" + "|".join(map(re.escape, words)) + ")") if words else _KEEP

    def convert_text(text: str) -> str:
        if not text:
            return text
        parts = kept.split(text)
        # split() with one group alternates: text, kept, text, kept, …
        return "".join(part if i % 2 else convert(part) for i, part in enumerate(parts))

    return convert_text


def convert_values(value, convert: Callable[[str], str]):
    """Convert every string inside dicts and lists (page metadata, extra.site)."""
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, dict):
        return {k: convert_values(v, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_values(v, convert) for v in value]
    return value
