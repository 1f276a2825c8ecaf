"""PDF brochures, made at build time with WeasyPrint from the programme's own Markdown page.

WeasyPrint draws Chinese as blank boxes when no CJK font is installed, and says nothing.
So before making any PDF we check that the engine imports and that fontconfig knows a
Chinese font; if not, the build says so and, by configuration, fails or skips the PDFs.
Finished PDFs are cached by content hash: an unchanged programme is not typeset again.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import jinja2
import markdown
from markupsafe import Markup

from .render import TEMPLATES

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html", "def_list", "admonition", "toc"]
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_MD_LINK = re.compile(r'href="((?:\.\./)+)([^"#]+?)(?:/index)?\.md(#[^"]*)?"')


def engine_problem() -> str | None:
    """Why PDFs cannot be made here, in words for the person running the build; None if they can."""
    try:
        import weasyprint  # noqa: F401  (imports Pango through cffi; fails if Pango is missing)
    except (ImportError, OSError) as err:
        return f"PDF 引擎 WeasyPrint 不可用（{err}）。请运行 bash scripts/build 安装依赖。"
    if shutil.which("fc-list") is None:
        return "找不到 fontconfig（fc-list），无法确认中文字体。Debian：apt-get install fontconfig fonts-noto-cjk"
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    if not fonts.strip():
        return "系统里没有中文字体，PDF 里的中文会变成空白方框。Debian：apt-get install fonts-noto-cjk"
    return None


def _absolute_links(html: str, site_url: str) -> str:
    """Links between pages become web addresses: a PDF travels without the site around it."""

    def absolute(match: re.Match) -> str:
        path, anchor = match.group(2), match.group(3) or ""
        return f'class="internal" href="{site_url.rstrip("/")}/{path}/{anchor}"'

    return _MD_LINK.sub(absolute, html)


def brochure_html(page_markdown: str, title: str, site_name: str, url: str, site_url: str) -> str:
    body = markdown.markdown(_FRONT_MATTER.sub("", page_markdown), extensions=MARKDOWN_EXTENSIONS)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    css = (TEMPLATES / "brochure-pdf.css").read_text(encoding="utf-8")
    return env.get_template("brochure-pdf.html.j2").render(
        title=title,
        site_name=site_name,
        url=url,
        css=Markup(css),
        body=Markup(_absolute_links(body, site_url)),
    )


def brochure_pdf(html: str, cache_dir: Path) -> bytes:
    import weasyprint

    key = hashlib.sha256((weasyprint.__version__ + html).encode("utf-8")).hexdigest()
    cached = cache_dir / f"{key}.pdf"
    if cached.exists():
        return cached.read_bytes()
    pdf = weasyprint.HTML(string=html).write_pdf()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_bytes(pdf)
    tmp.replace(cached)  # a killed build never leaves half a PDF in the cache
    return pdf
