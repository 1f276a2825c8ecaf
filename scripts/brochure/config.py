"""The institution's settings: one place that the plugin, the CLI and the tests read.

Settings live in mkdocs.yml under the `brochure` plugin, so an institution has one
configuration file. The standalone commands (`check`, `generate`) read the same block.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .problems import did_you_mean

# China has one time zone and no daylight saving, so a fixed offset is exact.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

DEFAULT_PROGRAMME_TYPES = ("研修班", "培训班", "专题培训班", "研讨会", "实训项目")
DEFAULT_SESSION_FORMATS = (
    "专题讲座",
    "现场教学",
    "案例教学",
    "研讨交流",
    "情景模拟",
    "技能演练",
    "跟岗实习",
    "微调研",
    "线上直播",
    "开班仪式",
    "结业仪式",
    "经验交流",
)
# The languages labels/ has wording for, with their names as an editor reads them.
LANGUAGES = {"zh": "简体中文", "zh-Hant": "繁体中文", "en": "英文"}
# What people write for these instead: locale codes, Material's other Chinese codes, names.
LANGUAGE_ALIASES = {
    **dict.fromkeys(("cn", "zh-cn", "zh-hans", "zh-sg", "chs", "chinese", "中文", "简体", "简体中文"), "zh"),
    **dict.fromkeys(
        ("tw", "hk", "zh-tw", "zh-hk", "zh-mo", "zh-hant-tw", "cht", "繁体", "繁體", "繁体中文", "繁體中文"), "zh-Hant"
    ),
    **dict.fromkeys(("en-us", "en-gb", "english", "英文", "英语"), "en"),
}

# News categories and the ASCII names their pages get (Chinese in a URL is percent-encoded).
DEFAULT_NEWS_CATEGORIES = {"培训动态": "training", "通知公告": "notices", "教学科研": "research", "媒体报道": "media"}
# The review chain (三审三校): who wrote, photographed, edited and signed off a post.
DEFAULT_CREDIT_ROLES = ("供稿", "供图", "摄影", "编辑", "责编", "审编", "初审", "复审", "审核发布")
DEFAULT_REQUIRED_ROLES = ("供稿", "编辑", "初审", "复审", "审核发布")


@dataclass(frozen=True)
class Settings:
    """The site-wide values and the `brochure` block's options, read alike as `settings.news_dir`.

    The options are declared once, with their types and defaults, in `schema.PLUGIN_OPTIONS`;
    here they are kept as the checked block, every option present.
    """

    root: Path
    docs_dir: Path
    build_date: date  # the option resolved (resolve_build_date), so it is a field, not an option
    options: dict[str, Any]
    language: str = "zh"
    site_url: str = ""
    site_name: str = ""
    # The institution's letterhead on the PDF brochure: extra.site.host_unit, and theme.logo
    # (Material's emblem setting) as a file under docs_dir, or None.
    host_unit: str = ""
    emblem: Path | None = None
    # Under `brochure serve`: drafts and posts dated after the build date are shown, with a
    # banner, and the 待审 page is made (review.py). Never set for a build. Part of the repr,
    # so what the caches keep for a preview and for a build stay apart.
    preview: bool = False

    def __getattr__(self, name: str) -> Any:
        # Only reached for names that are no field or property: the options. Read through
        # __dict__ so that an object not yet unpickled has no options, not endless recursion.
        options = self.__dict__.get("options", {})
        if name in options:
            return options[name]
        raise AttributeError(f"Settings has no option {name!r}")

    @property
    def content_dir(self) -> Path:
        return self.root / self.options["content_dir"]

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache" / "brochure"

    @property
    def libraries_dir(self) -> Path:
        return self.content_dir / "libraries"

    def display(self, path: Path) -> str:
        """A path as the editor sees it: relative to the project root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def resolve_build_date(configured: str | date | None) -> date:
    """The date statuses are computed against.

    A configured `build_date` wins, then SOURCE_DATE_EPOCH (the reproducible-builds
    convention), then today in China.
    """
    if isinstance(configured, date):
        return configured
    if configured:
        return date.fromisoformat(str(configured))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), CHINA_TZ).date()
    return datetime.now(CHINA_TZ).date()


def language_problem(value: Any) -> tuple[str, str] | None:
    """(message, hint) if `theme.language` names a language the site has no wording for.

    MkDocs hands the value to Material, whose templates fail with a traceback on a code they
    do not know (`cn`), and the generated pages would silently fall back to another language.
    """
    if isinstance(value, str) and value in LANGUAGES:
        return None
    written = str(value).strip().lower().replace("_", "-")
    meant = LANGUAGE_ALIASES.get(written) or next((code for code in LANGUAGES if code.lower() == written), None)
    guess = f"是否想写 “{meant}”？" if meant else did_you_mean(str(value), LANGUAGES)
    choices = "、".join(f"{code}（{name}）" for code, name in LANGUAGES.items())
    return f"站点语言 “{value}” 不可用。", f"{guess}可选：{choices}。"


def settings_from_options(
    root: Path, options: dict[str, Any], docs_dir: str, language: str, site_url: str = "", site_name: str = ""
) -> Settings:
    """The settings from the `brochure` block and the site-wide values, checked beforehand
    (validate.load_settings: PLUGIN_OPTIONS, which also fills in the defaults, and
    language_problem)."""
    # Lists become tuples and the mapping a copy: one build's settings cannot change what the
    # next build (mkdocs serve) starts from, the declared defaults included.
    frozen = {
        name: tuple(value) if isinstance(value, list | tuple) else dict(value) if isinstance(value, dict) else value
        for name, value in options.items()
    }
    return Settings(
        root=root,
        docs_dir=root / docs_dir,
        build_date=resolve_build_date(options["build_date"]),
        options=frozen,
        language=language,
        site_url=site_url or "",
        site_name=site_name or "",
    )
