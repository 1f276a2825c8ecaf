"""PDF brochures, made at build time with WeasyPrint from the programme's own Markdown page.

WeasyPrint draws Chinese as blank boxes when no CJK font is installed, and says nothing.
So before making any PDF we check that the engine imports and that fontconfig knows a
Chinese font; if not, the build says so and, by configuration, fails or skips the PDFs.
Finished PDFs are cached: an unchanged programme is not typeset again. The cache key is the
HTML together with everything else that shapes the bytes (see `engine_fingerprint`), so a PDF
comes out the same whatever the cache holds, however many processes made the PDFs and which
one made each.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import importlib.metadata
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import markdown
from markupsafe import Markup

from .parallel import fork_map
from .render import TEMPLATES, template_environment
from .sanitise import clean_html, site_host
from .store import file_stamp, write_atomic
from .urls import page_url
from .variant import ZH_HANT

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


# The copy's language as the PDF declares it (/Lang, read by screen readers to pick a voice,
# and by the stylesheet's :lang() to pick the SC or the TC cut of Noto CJK).
PDF_LANGUAGES = {"zh": "zh-CN", ZH_HANT: "zh-Hant", "en": "en"}
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# Kinds of image WeasyPrint draws, by the emblem file's suffix.
_IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def brochure_html(
    page_markdown: str,
    title: str,
    site_name: str,
    url: str,
    site_url: str,
    host_unit: str = "",
    emblem: Path | None = None,
    language: str | None = None,
) -> str:
    """The brochure of one programme as HTML for WeasyPrint, from the programme's page.

    Everything the PDF shows is in this HTML, the emblem's bytes included (as a data: URL),
    so the HTML alone is the cache key's part that changes with the programme or the site:
    a new emblem file or another address makes a new PDF. `language` is the copy's
    (settings.language: zh-Hant in the Traditional copy, whichever builder runs).
    """
    body = markdown.markdown(_FRONT_MATTER.sub("", page_markdown), extensions=MARKDOWN_EXTENSIONS)
    # The same allow-list as the site's pages: WeasyPrint would fetch another host's <img>.
    body = clean_html(body, site_host(site_url))
    # The page's own H1 is the title: in the Traditional copy it is the converted one, where
    # the `title` passed in is the catalogue's, Simplified.
    heading = _H1.search(body)
    if heading:
        title = unescape(_TAG.sub("", heading.group(1))).strip() or title
    # Typeset as the template is written: a changed blank line would change every PDF's bytes.
    env = template_environment(trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=False, autoescape=True)
    css = (TEMPLATES / "brochure-pdf.css").read_text(encoding="utf-8")
    return env.get_template("brochure-pdf.html.j2").render(
        lang=PDF_LANGUAGES.get(language or "zh", "zh-CN"),
        title=title,
        site_name=site_name,
        host_unit=host_unit if host_unit and host_unit not in site_name else "",
        emblem=_data_url(emblem),
        url=url,
        qr=Markup(qr_svg(url)) if site_url and url.startswith(("http://", "https://")) else "",
        css=Markup(css),
        body=Markup(_keep_last_characters(_absolute_links(body, site_url))),
    )


def qr_svg(url: str) -> str:
    """A QR code of `url` as inline SVG (segno), to scan from paper to the programme's page.

    Level M, the usual choice for print (15% of the code may be soiled or folded away), and
    the standard quiet zone of 4 modules, which some phone scanners need to find the code.
    The <title> is the code's text alternative in the tagged PDF (a Figure's /Alt).

    One fixed mask pattern (3), not segno's search for the best of eight: every mask decodes
    alike, and the search is pure Python, three quarters of a code's time, which at 2,000
    programmes was most of the time generation took (docs/benchmarks.md). On programme
    addresses, mask 3's penalty score (ISO/IEC 18004's measure of patterns that could confuse
    a scanner) is on average 10% above the best mask's, at most 18%.
    """
    import segno

    code = segno.make(url, error="m", micro=False, mask=3)
    return code.svg_inline(scale=1, border=4, omitsize=True, title=url, dark="#000", light="#fff")


def programme_qr(site_url: str, slug: str) -> Markup:
    """The QR code to a programme's page for its printed page (programme.md.j2's print-only
    block), or nothing when the site has no address (a code to a relative path scans to
    nothing useful)."""
    if not site_url:
        return Markup("")
    return Markup(qr_svg(site_url.rstrip("/") + "/" + page_url("programme", slug)))


def _data_url(path: Path | None) -> str:
    """The emblem as a data: URL, so that the HTML holds its bytes (and the cache key with
    them); empty when there is none or it cannot be read (the PDF is then made without)."""
    if path is None:
        return ""
    kind = _IMAGE_TYPES.get(path.suffix.lower())
    try:
        data = path.read_bytes() if kind else b""
    except OSError:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}" if data else ""


# The last two characters of a paragraph, list item or table cell, when both are Han (or the
# second is closing punctuation): kept on one line, so that no line holds one character alone
# (者 under a full line). WeasyPrint 70 has neither `text-wrap: pretty` nor orphan control
# inside a paragraph (`orphans` and `widows` count lines across a page break, not characters).
_LAST_CHARACTERS = re.compile(
    r"([\u3400-\u9fff\uf900-\ufaff][\u3400-\u9fff\uf900-\ufaff\u3001\u3002\uff0c\uff1b\uff1a\uff01\uff1f\u201d\u300d\u300f\uff09])"
    r"(?=\s*</(?:p|li|td|th|dd|h[1-6])>)"
)


def _keep_last_characters(body: str) -> str:
    return _LAST_CHARACTERS.sub(r'<span class="nb">\1</span>', body)


def engine_fingerprint() -> str:
    """Everything besides the HTML that decides a PDF's bytes, as one string.

    Found the hard way: Chromium's Debian package pulls in libharfbuzz-subset0, and WeasyPrint
    subsets the embedded Noto Sans CJK with HarfBuzz when that library is present and with
    fontTools when not. The two give different bytes for the same HTML, so a PDF cached before
    the library arrived differed from one made after. Installing, removing or upgrading a font,
    or a fontconfig rule that changes which font is chosen, does the same. So the key names the
    Python packages WeasyPrint draws with, the native text libraries this process loaded, the
    subsetter in use, and every font file and fontconfig file with its size and time.
    """
    import weasyprint
    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import harfbuzz, pango

    parts = [f"weasyprint {weasyprint.__version__}", f"pango {pango.pango_version()}"]
    for requirement in importlib.metadata.requires("weasyprint") or []:
        if "extra ==" in requirement:
            continue
        name = re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    harfbuzz_subset = fonts.harfbuzz_subset is not None and harfbuzz.hb_version_atleast(4, 1, 0)
    parts.append("subset with " + ("harfbuzz" if harfbuzz_subset else "fonttools"))
    parts += _file_stamps(_native_libraries())
    parts += _file_stamps(_fontconfig_files())
    return "\n".join(parts)


_TEXT_LIBRARY = re.compile(r"lib(harfbuzz|pango|fontconfig|freetype)[^/]*\.so")


def _native_libraries() -> list[str]:
    """The shaping, font and subsetting libraries mapped into this process (Linux only)."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8")
    except OSError:
        return []
    return sorted({line.split()[-1] for line in maps.splitlines() if _TEXT_LIBRARY.search(line.rsplit("/", 1)[-1])})


def _fontconfig_files() -> list[str]:
    """Every font file fontconfig offers, and its configuration files (which pick among them)."""
    files = set()
    for command in (["fc-list", "--format", "%{file}\n"], ["fc-conflist"]):
        try:
            listed = subprocess.run(command, capture_output=True, text=True, check=False).stdout
        except OSError:  # fc-conflist is missing before fontconfig 2.13.1
            continue
        for line in listed.splitlines():
            if command[0] == "fc-conflist":  # "+ /etc/fonts/conf.d/10-x.conf: description"; - is unused
                line = line[2:].split(": ", 1)[0] if line.startswith("+ ") else ""
            if line:
                files.add(line)
    return sorted(files)


def _file_stamps(paths: list[str]) -> list[str]:
    stamps = []
    for path in paths:
        found = file_stamp(path)
        stamps.append(f"{path} missing" if found is None else f"{path} {found[0]} {found[1]}")
    return stamps


def brochure_pdfs(htmls: list[str], cache_dir: Path, workers: int = 1) -> list[Path]:
    """The PDF file of each HTML brochure in the cache, typeset on `workers` processes where
    it is not there yet. The cache is keyed by the HTML and the engine, so a file there is
    the same bytes a typesetting would give."""
    fingerprint = engine_fingerprint()
    files = [cache_dir / (hashlib.sha256(f"{fingerprint}\n{html}".encode()).hexdigest() + ".pdf") for html in htmls]
    todo = {file: html for file, html in zip(files, htmls, strict=True) if not file.is_file()}
    for file, pdf in zip(todo, _typeset_all(list(todo.values()), workers), strict=True):
        write_atomic(file, pdf)  # a killed build never leaves half a PDF
    return files


def brochure_pdf(html: str, cache_dir: Path) -> bytes:
    return brochure_pdfs([html], cache_dir)[0].read_bytes()


def _typeset_all(pages: list[str], workers: int) -> list[bytes]:
    """Typeset with Python's cycle collector running. A build pauses it while it checks and
    generates (collector.py), and the brochures are typeset in that stretch; each leaves some
    40 MB of cyclic garbage, and 2,000 of them took both of a build's processes past 20 GB.
    What the build already holds is frozen (gc.freeze), so collections do not walk it."""
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.enable()
    try:
        return fork_map(_typeset, pages, workers)
    finally:
        gc.collect()
        gc.unfreeze()
        if not was_enabled:
            gc.disable()


def _typeset(page: str) -> bytes:
    import weasyprint

    # Tagged PDF/UA-1: a structure tree (headings, lists, tables with their header cells),
    # MarkInfo /Marked, DisplayDocTitle, /Lang from <html lang> and XMP metadata, for
    # screen readers. WeasyPrint's PDF/UA writes no random document ID, so the bytes stay
    # the same from build to build.
    return weasyprint.HTML(string=page).write_pdf(pdf_variant="pdf/ua-1")
