"""The PDF brochures as tools written elsewhere read them (qpdf, poppler's pdfinfo, pdffonts,
pdftotext and pdftoppm, and the zxing-cpp QR decoder), and the programme page as Chromium
prints it."""

from __future__ import annotations

import gc
import json
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from brochure import collector
from brochure import pdf as brochure_pdf
from conftest import CHROMIUM_FLAGS, png

SHEBAO = "2025-shebao-jingban-yanxiuban"  # ended on the tests' build date: no brochure
SHEQU = "2027-shequ-zhili-nengli-tisheng-peixunban"  # not begun: the demo's one brochure
SITE = "https://peixun.daiyue.edu.cn/"
HAN = re.compile(r"[\u3400-\u9fff]")


def brochures(site: Path) -> list[Path]:
    found = sorted(site.glob("programmes/*.pdf")) + sorted(site.glob("zh-hant/programmes/*.pdf"))
    # Of the demo's 8 programmes, only the one that has not ended has a brochure
    # (Programme.has_brochure), in both scripts.
    assert found == [site / f"programmes/{SHEQU}.pdf", site / f"zh-hant/programmes/{SHEQU}.pdf"]
    return found


def objects(pdf: Path) -> list[dict]:
    """Every dictionary object of the PDF, as qpdf's JSON (version 2) gives it."""
    out = subprocess.run(["qpdf", "--json", "--json-key=qpdf", str(pdf)], capture_output=True, text=True, check=True)
    return [o["value"] for o in json.loads(out.stdout)["qpdf"][1].values() if isinstance(o.get("value"), dict)]


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def fonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, embedded yes/no) for each font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines]


def words(pdf: Path) -> list[tuple[int, str, float, float]]:
    """(page, text, xMin, yMax) of each word pdftotext finds."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    # NFKC: Chromium's PDF maps some Han characters to their Kangxi-radical twins (⼤ for 大).
    return [
        (n, unicodedata.normalize("NFKC", w.text or ""), float(w.get("xMin")), float(w.get("yMax")))
        for n, page in enumerate(ET.fromstring(out).iter(ns + "page"), start=1)
        for w in page.iter(ns + "word")
    ]


def lone_characters(pdf: Path) -> list[str]:
    """Lines that hold one Han character and nothing else (者 under a full line, 李明/德),
    as pdftotext lays out the page; each with the end of the line before it."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    ns = "{http://www.w3.org/1999/xhtml}"
    found = []
    for page in ET.fromstring(out.stdout).iter(ns + "page"):
        lines = ["".join(w.text or "" for w in line.iter(ns + "word")) for line in page.iter(ns + "line")]
        pairs = zip([""] + lines[:-1], lines, strict=True)
        found += [f"{before[-8:]}/{line}" for before, line in pairs if len(line) == 1 and HAN.match(line)]
    return found


@pytest.mark.site
def test_every_brochure_is_a_tagged_pdf_in_its_own_language(demo_site: Path):
    """Screen readers get the headings, lists and tables (PDF/UA-1 via WeasyPrint's pdf_variant),
    the title rather than the file name, and the copy's language."""
    for pdf in brochures(demo_site):
        check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert check.returncode == 0, (pdf, check.stdout, check.stderr)
        found = objects(pdf)
        catalog = next(o for o in found if o.get("/Type") == "/Catalog")
        assert "/StructTreeRoot" in catalog, pdf
        assert catalog["/MarkInfo"] == {"/Marked": True}, pdf
        assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] is True, pdf
        assert catalog["/Lang"] == ("u:zh-Hant" if "zh-hant" in pdf.parts else "u:zh-CN"), pdf
        structure = {o["/S"] for o in found if o.get("/Type") == "/StructElem"}
        assert {"/H1", "/H2", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure"} <= structure, (pdf, structure)
        assert pdfinfo(pdf)["Tagged"] == "yes"


@pytest.mark.site
def test_brochure_title_and_font_follow_the_script_of_its_copy(demo_site: Path):
    simplified, traditional = demo_site / f"programmes/{SHEQU}.pdf", demo_site / f"zh-hant/programmes/{SHEQU}.pdf"
    assert pdfinfo(simplified)["Title"] == "2027年全省城市社区治理能力提升培训班"
    assert pdfinfo(traditional)["Title"] == "2027年全省城市社區治理能力提升培訓班"
    for pdf in brochures(demo_site):
        listed = fonts(pdf)
        assert listed and all(embedded == "yes" for _, embedded in listed), (pdf, listed)
        cuts = {re.search(r"CJK-(SC|TC)", name).group(1) for name, _ in listed if "CJK" in name}
        assert cuts == ({"TC"} if "zh-hant" in pdf.parts else {"SC"}), (pdf, listed)


def decoded_qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    """The QR codes on page 1, as a phone would read them from the printed page: the page
    drawn at 150 dpi and decoded by ZBar (Debian's zbar-tools, a decoder written apart from
    segno; scripts/setup-env installs it)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    image = next(tmp_path.glob("page*.png"))
    # zbarimg exits 4 when it finds no code: that is an empty list here, not an error.
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)], capture_output=True, text=True
    )
    assert found.returncode in (0, 4), found.stderr
    return found.stdout.splitlines()


@pytest.mark.site
def test_brochure_qr_code_scans_to_the_programme_page_of_its_copy(demo_site: Path, tmp_path: Path):
    assert decoded_qr_codes(demo_site / f"programmes/{SHEQU}.pdf", tmp_path / "s") == [f"{SITE}programmes/{SHEQU}/"]
    traditional = demo_site / f"zh-hant/programmes/{SHEQU}.pdf"
    assert decoded_qr_codes(traditional, tmp_path / "t") == [f"{SITE}zh-hant/programmes/{SHEQU}/"]


@pytest.mark.unit
def test_qr_code_is_segnos_encoding_of_the_address_and_only_with_one():
    """The code in the HTML is segno's, for exactly the page's address; without site_url
    there is no address to encode, and no code."""
    import segno

    url = f"{SITE}programmes/x/"
    page = "---\ntitle: x\n---\n\n# 测试研修班\n"
    html = brochure_pdf.brochure_html(page, "测试研修班", "培训中心", url, SITE)
    expected = segno.make(url, error="m", micro=False, mask=3).svg_inline(
        scale=1, border=4, omitsize=True, title=url, dark="#000", light="#fff"
    )
    assert expected in html
    assert "<svg" not in brochure_pdf.brochure_html(page, "测试研修班", "培训中心", "programmes/x/", "")


@pytest.mark.site
def test_brochure_leaves_out_what_is_for_the_screen(demo_site: Path):
    out = subprocess.run(["pdftotext", str(demo_site / f"programmes/{SHEQU}.pdf"), "-"], capture_output=True, text=True)
    text = "".join(out.stdout.split())
    assert "马建军" in text and "莱芜战役纪念馆" in text
    for screen_only in ("标签：", "社区治理党建引领", "授课人：", "形式：", "学时：", "加入日历", "下载简章"):
        assert screen_only not in text, screen_only  # tags, phones' cell labels, buttons


@pytest.mark.site
def test_brochure_tables_have_the_same_columns_in_every_programme(demo_site: Path):
    """The curriculum and the timetable are laid out by their colgroup (table-layout: fixed):
    each column starts at the same place in every brochure, whatever its cells hold (here
    the demo's one brochure in both scripts, whose cells differ in width)."""
    heading = {"形式": "形式", "学时": "学时", "學時": "学时", "内容": "内容", "內容": "内容"}
    starts: dict[str, set[float]] = {"形式": set(), "学时": set(), "内容": set()}
    for pdf in brochures(demo_site):
        for _, text, x, _ in words(pdf):
            if text in heading:
                starts[heading[text]].add(round(x, 1))
    assert all(len(xs) == 1 for xs in starts.values()), starts


@pytest.mark.site
def test_no_line_of_a_brochure_holds_one_character_alone(demo_site: Path):
    """No 者 alone under a full line, no name broken (李明/德), no time cut (14:00–/17:00)."""
    found = {pdf.name: lone_characters(pdf) for pdf in brochures(demo_site)}
    assert not any(found.values()), found


def page_with_emblem(emblem: Path | None, url: str = f"{SITE}programmes/x/") -> str:
    page = "---\ntitle: x\n---\n\n# 测试研修班\n\n学员报到时间为6月8日，地点为岱岳大学学术交流中心一楼大厅。\n"
    return brochure_pdf.brochure_html(page, "测试研修班", "干部教育培训中心", url, SITE, "岱岳大学公共管理学院", emblem)


@pytest.mark.site
def test_brochure_cache_key_covers_the_emblem_and_the_address(tmp_path: Path):
    """A new emblem file at the same path, or another address, makes a new PDF: the cache
    is keyed on the HTML, which holds the emblem's bytes and the address (and the QR code)."""
    emblem = tmp_path / "emblem.png"
    emblem.write_bytes(png(40, 40))
    first = page_with_emblem(emblem)
    assert page_with_emblem(emblem) == first
    emblem.write_bytes(png(40, 41))
    second = page_with_emblem(emblem)
    moved = page_with_emblem(emblem, f"{SITE}zh-hant/programmes/x/")
    assert len({first, second, moved}) == 3
    cache = tmp_path / "cache"
    made = [pdf.read_bytes() for pdf in brochure_pdf.brochure_pdfs([first, second], cache)]
    assert made[0] != made[1] and len(list(cache.glob("*.pdf"))) == 2
    assert brochure_pdf.brochure_pdfs([second], cache)[0].read_bytes() == made[1]  # from the cache, as made


@pytest.mark.unit
def test_typesetting_leaves_no_garbage_while_the_build_pauses_the_collector(tmp_path: Path):
    """A build pauses Python's cycle collector while it checks and generates (collector.py), and
    the brochures are typeset in that stretch. Each one left about 40 MB of cyclic garbage
    there: at 2,000 programmes both of the build's processes went past 20 GB."""
    pages = [
        brochure_pdf.brochure_html(f"# 第{i}期\n\n" + "培训内容。" * 400, f"第{i}期", "学院", f"{SITE}p/{i}/", SITE)
        for i in range(2)
    ]
    with collector.paused():
        gc.collect()
        brochure_pdf.brochure_pdfs(pages, tmp_path)
        left = gc.collect()
    assert left < 2000, f"{left} unreachable objects left by typesetting two brochures"


@pytest.mark.site
def test_brochure_letterhead_has_the_emblem_only_when_one_is_set(tmp_path: Path):
    emblem = tmp_path / "emblem.png"
    emblem.write_bytes(png(60, 60))
    for given, images in ((emblem, 1), (None, 0), (tmp_path / "missing.png", 0)):
        pdf = tmp_path / "brochure.pdf"
        pdf.write_bytes(brochure_pdf.brochure_pdfs([page_with_emblem(given)], tmp_path / "cache")[0].read_bytes())
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
        assert len(listed.stdout.splitlines()[2:]) == images, (given, listed.stdout)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert text.split()[:2] == ["岱岳大学公共管理学院", "干部教育培训中心"]  # the letterhead, first


@pytest.mark.site
@pytest.mark.parametrize("copy", ["", "zh-hant/"])
def test_demo_brochure_letterhead_draws_the_emblem_of_mkdocs_yml(demo_site: Path, tmp_path: Path, copy: str):
    """theme.logo reaches the PDF of both copies: left of the letterhead's name, page 1 is not
    blank (the demo's emblem is an SVG, drawn as shapes, so pdfimages would list nothing)."""
    from PIL import Image

    pdf = demo_site / f"{copy}programmes/{SHEQU}.pdf"
    name_left = min(x for n, _, x, y in words(pdf) if n == 1 and y < 100)  # the letterhead's first word
    subprocess.run(
        ["pdftoppm", "-r", "72", "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    margin = page.crop((0, 0, int(name_left) - 2, 100))  # 72 dpi: one pixel per PDF point
    assert margin.getextrema()[0] < 128, "no emblem drawn before the institution's name"


def print_page(page: Path, tmp_path: Path) -> Path:
    """Chromium's print of a page, as a reader pressing Ctrl+P would make it."""
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is installed by scripts/setup-env for the tests"
    out = tmp_path / "print.pdf"
    subprocess.run(
        [
            chromium,
            "--headless",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def set_emblem(project, image: bytes | None) -> None:
    """theme.logo set to `image`, or no theme.logo at all (whatever the demo's is)."""
    config = project.root / "mkdocs.yml"
    text = re.sub(r"(?m)^  logo: .*\n", "", config.read_text(encoding="utf-8"))
    if image is not None:
        project.write("docs/assets/images/emblem.png", image)
        text = text.replace("  custom_dir: overrides\n", "  custom_dir: overrides\n  logo: assets/images/emblem.png\n")
    config.write_text(text, encoding="utf-8")


@pytest.mark.browser
@pytest.mark.parametrize("emblem", [png(120, 120), None], ids=["emblem", "no emblem"])
def test_printed_programme_page_carries_the_institution(project, tmp_path: Path, emblem):
    """The letterhead (the emblem, theme.logo, if one is set, and the site's name) on page 1;
    the host unit and its contact details at the end; Material's stock icon never."""
    set_emblem(project, emblem)
    out = tmp_path / "out"
    assert project.brochure("build", "-d", str(out)).returncode == 0
    printed = print_page(out / "programmes/2025-test-yanxiuban/index.html", tmp_path)
    listed = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(printed)], capture_output=True, text=True)
    assert len(listed.stdout.splitlines()[2:]) == (1 if emblem else 0), listed.stdout
    page_words = words(printed)
    text = "".join(w for _, w, _, _ in page_words)
    assert text.startswith("岱岳大学公共管理学院干部教育培训中心测试研修班"), text[:60]
    assert "主办单位:岱岳大学公共管理学院" in text and "0531-88361234" in text  # NFKC: ： is :
    assert "鲁ICP备" not in text  # the record numbers are for the web


@pytest.mark.browser
def test_printed_programme_page_reads_as_a_brochure(demo_site: Path, browser, tmp_path: Path):
    """Links of the site in the body's colour and not underlined; the curriculum and timetable
    as tables (A4 is narrower than the phone breakpoint); page 1 not ended early by a block
    pushed whole to page 2."""
    page = browser.new_page()
    page.goto((demo_site / f"programmes/{SHEBAO}/index.html").as_uri())
    page.emulate_media(media="print")
    looks = page.evaluate(
        """() => {
          const style = s => getComputedStyle(document.querySelector(s));
          const link = style('.md-typeset td a[href^="../"]'), text = style('.md-typeset td');
          return {link: link.color, text: text.color, line: link.textDecorationLine,
                  cell: style('.brochure-table td.labelled').display, label: style('.cell-label').display,
                  tags: style('.programme-tags').display};
        }"""
    )
    page.close()
    assert looks["link"] == looks["text"] and looks["line"] == "none", looks
    assert looks["cell"] == "table-cell" and looks["label"] == "none" and looks["tags"] == "none", looks
    printed = print_page(demo_site / f"programmes/{SHEBAO}/index.html", tmp_path)
    lowest = max(y for n, _, _, y in words(printed) if n == 1)
    assert lowest > 0.75 * float(pdfinfo(printed)["Page size"].split()[2]), lowest


@pytest.mark.browser
@pytest.mark.parametrize("copy", ["", "zh-hant/"])
def test_printed_programme_page_has_a_qr_code_to_itself(demo_site: Path, tmp_path: Path, copy: str):
    """Chromium's print of the page (a reader's "save as PDF") carries a code a phone scans
    back to the same page in the same script."""
    page = demo_site / f"{copy}programmes/{SHEBAO}/index.html"
    printed = print_page(page, tmp_path)
    assert decoded_qr_codes(printed, tmp_path / "qr") == [f"{SITE}{copy}programmes/{SHEBAO}/"]
