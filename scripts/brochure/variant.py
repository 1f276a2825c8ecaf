"""The Traditional Chinese copy of the site (繁体版).

`brochure build` builds the site a second time, into `<zh_hant_path>/`, with the environment
variable below set. In that build the plugin switches the labels and Material's interface to
zh-Hant and converts every page, title and nav entry with OpenCC, phrase by phrase (s2twp
gives Taiwan wording such as 軟體, s2hk Hong Kong glyphs). The editors' guide stays Simplified:
its YAML examples are keys an editor must type as they are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

VARIANT_ENV = "BROCHURE_VARIANT"
ZH_HANT = "zh-Hant"
UNCONVERTED_SECTIONS = ("editors/",)


def active_variant() -> str | None:
    return os.environ.get(VARIANT_ENV) or None


# What must not change script: link and image targets (a file may have a Chinese name), HTML
# tags with their attributes (paths, filter values), and code.
_KEEP = re.compile(r"(\]\([^)]*\)|<[^>]+>|`[^`\n]*`)")


def converter(config_name: str) -> Callable[[str], str]:
    import opencc

    convert = opencc.OpenCC(config_name).convert

    def convert_text(text: str) -> str:
        if not text:
            return text
        parts = _KEEP.split(text)
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
