"""`brochure benchmark`: build a synthetic institution of a given size, with our pipeline and
with the stock baseline (the same pages as plain Markdown, stock MkDocs + Material, the blog
plugin for news, Material's search with jieba), side by side in one run, and print one table.

Sizes default to the issue's: 2,000 programmes, 3,000 posts of about 1,500 Chinese characters,
300 lecturers, 100 sites. PDFs and the zh-Hant copy are switched off in both builds so that
the two build the same pages; one more build of ours, `full build, PDF and zh-Hant`, has the
demo's own configuration (PDFs, the Traditional copy, search) and is set against the
baseline's build without them. The row names are read by other tools: keep them.
"""

from __future__ import annotations

import gzip
import os
import queue
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import collector, localnginx
from .model import build_catalogue
from .render import render_site
from .validate import load_settings, validate

SENTENCES = [
    "本期培训围绕推进基层治理体系和治理能力现代化展开，邀请高校专家和实务部门负责同志授课。",
    "学员们结合本地区实际，交流了网格化管理、矛盾纠纷多元化解和社区服务创新的经验做法。",
    "现场教学环节，学员走进红色教育基地和重点企业，在实地观摩中加深了对政策的理解。",
    "培训采取专题讲座、案例教学、分组研讨和情景模拟相结合的方式，注重理论联系实际。",
    "大家表示，将把学习成果转化为推动工作的具体举措，切实提升服务群众的能力和水平。",
    "课程安排紧扣社会保险经办、信访工作法治化和制造业高质量发展等重点任务。",
]
TYPES = ["研修班", "培训班", "专题培训班", "研讨会", "实训项目"]
FORMATS = ["专题讲座", "现场教学", "案例教学", "研讨交流"]
TOPICS = ["基层治理", "社会保险", "乡村振兴", "制造业"]


def chinese_text(rng: random.Random, characters: int) -> str:
    out: list[str] = []
    while sum(len(s) for s in out) < characters:
        out.append(rng.choice(SENTENCES))
    return "".join(out)


def synthesise(root: Path, project: Path, programmes: int, posts: int, lecturers: int, sites: int) -> None:
    """A project folder with our config and docs, and generated content of the given size."""
    rng = random.Random(20261122)  # the same institution every run
    shutil.copytree(project / "docs", root / "docs", ignore=shutil.ignore_patterns("news"))
    shutil.copytree(project / "overrides", root / "overrides")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("zh_hant: true", "zh_hant: false").replace("pdf: true", "pdf: false")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    lib = root / "programmes" / "libraries"
    lib.mkdir(parents=True)
    people = [
        {"id": f"lecturer-{i}", "name": f"讲师{i}", "title": "教授", "bio": chinese_text(rng, 120)}
        for i in range(lecturers)
    ]
    places = [
        {"id": f"site-{i}", "name": f"现场教学点{i}", "kind": "红色教育基地", "city": "济南"} for i in range(sites)
    ]
    orgs = [{"id": "host", "name": "岱岳大学公共管理学院"}]
    for name, data in (("lecturers", people), ("sites", places), ("organisations", orgs)):
        (lib / f"{name}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    slugs = []
    for i in range(programmes):
        year = 2020 + i % 7
        start = f"{year}-{1 + i % 12:02d}-{1 + i % 20:02d}"
        end = f"{year}-{1 + i % 12:02d}-{5 + i % 20:02d}"
        slug = f"p{i:05d}"
        slugs.append(slug)
        lecturer = lambda: rng.choice(people)["id"]  # noqa: E731
        programme = {
            "title": f"{year}年第{i}期{rng.choice(TOPICS)}能力提升{TYPES[i % 5]}",
            "type": TYPES[i % 5],
            "dates": {"start": start, "end": end},
            "venue": {"name": "知新楼", "city": "济南"},
            "host": "host",
            "audience": "全省相关部门负责同志和业务骨干",
            "capacity": 80,
            "summary": chinese_text(rng, 300) + "\n",
            "objectives": [chinese_text(rng, 40) for _ in range(3)],
            "modules": [
                {
                    "title": f"模块{m + 1}",
                    "sessions": [
                        {
                            "title": chinese_text(rng, 20),
                            "lecturers": [lecturer()],
                            "format": rng.choice(FORMATS),
                            "hours": 3,
                        }
                        for _ in range(3)
                    ],
                }
                for m in range(3)
            ],
            "site_visits": [{"site": rng.choice(places)["id"]}],
            "timetable": [
                {
                    "date": f"{year}-{1 + i % 12:02d}-{1 + i % 20 + d:02d}",
                    "items": [
                        {"time": t, "title": chinese_text(rng, 20), "lecturer": lecturer()}
                        for t in ("08:30-11:30", "14:00-17:00")
                    ],
                }
                for d in range(5)
            ],
        }
        (root / "programmes" / f"{slug}.yml").write_text(
            yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8"
        )
    for i in range(posts):
        year = 2020 + i % 7
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d} {8 + i % 10:02d}:{i % 60:02d}"
        front = {
            "title": f"第{i}篇：{chinese_text(rng, 24)[:24]}",
            "date": date,
            "category": ["培训动态", "通知公告", "教学科研", "媒体报道"][i % 4],
            "tags": [rng.choice(["基层治理", "社会保险", "现场教学", "开班仪式", "结业仪式"])],
            "programme": rng.choice(slugs),
            "source": "岱岳大学公共管理学院",
            "slug": f"n{i:05d}",
            "credits": {"供稿": "李晓彤", "编辑": "赵敏", "初审": "宋佳", "复审": "高志明", "审核发布": "张文华"},
        }
        body = "\n\n".join(chinese_text(rng, 300) for _ in range(5))
        folder = root / "docs" / "news" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body + "\n"
        (folder / f"{date[5:10]}-n{i:05d}.md").write_text(text, encoding="utf-8")


def baseline(root: Path, target: Path) -> None:
    """The same pages as plain Markdown for stock MkDocs + Material: our generated pages
    (from `brochure generate`), hand-written pages, and the posts under the blog plugin."""
    settings = load_settings(root / "mkdocs.yml")
    catalogue = build_catalogue(validate(settings), settings)
    docs = target / "docs"
    shutil.copytree(root / "docs", docs, ignore=shutil.ignore_patterns("news"))
    for path, markdown in render_site(catalogue, settings).items():
        if path.startswith(settings.news_dir + "/"):
            continue  # the blog plugin makes the news index, archive and category pages
        out = docs / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown.replace("../news/", "../blog/"), encoding="utf-8")
    (docs / "index.md").write_text("# 首页\n\n[培训项目](programmes/index.md)\n", encoding="utf-8")
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    (docs / "blog" / "index.md").write_text("# 新闻动态\n", encoding="utf-8")
    for post in catalogue.news:
        source = (root / "docs" / post.path).read_text(encoding="utf-8").split("---\n", 2)[2]
        front = {
            "date": post.date.replace(tzinfo=None),
            "categories": [post.category.name],
            "slug": post.url.split("/")[-2],
        }
        head = yaml.safe_dump(front, allow_unicode=True)
        (posts / Path(post.path).name).write_text(
            f"---\n{head}---\n\n# {post.title}\n\n{post.excerpt}\n\n<!-- more -->\n\n{source}", encoding="utf-8"
        )
    config = {
        "site_name": "基准站点",
        "site_url": "https://example.invalid/",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": [{"search": {"lang": "zh"}}, {"blog": {}}],
        "markdown_extensions": [
            "tables",
            "attr_list",
            "md_in_html",
            "def_list",
            "admonition",
            {"toc": {"permalink": True}},
        ],
        "nav": ["index.md", "programmes/index.md", "blog/index.md"],
        "validation": {"links": {"not_found": "ignore", "unrecognized_links": "ignore", "anchors": "ignore"}},
    }
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    pages: int
    html_bytes: int
    search_gz: int
    reused: int = 0  # pages the page cache supplied
    converted: int = 0  # pages MkDocs converted afresh: every page, in a cold build


def _build_env() -> dict[str, str]:
    # The same build date for every build of a run, and no MkDocs 2.0 banner.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795305600"}


def _tree_memory_mb(root: int) -> float:
    """The memory a process and all its descendants hold now, in MB (Linux /proc; 0 elsewhere).
    Proportional set sizes, so that pages a forked worker shares with its parent count once."""
    children: dict[int, list[int]] = {}
    with os.scandir("/proc") if os.path.isdir("/proc") else nullcontext([]) as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as f:
                    parent = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith(b"Pss:")), 0)
        except OSError:
            pass
    return total / 1024


def timed_build(command: list[str], cwd: Path, site: Path) -> Run:
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a full pipe would stall the build
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=cwd, env=_build_env(), stdout=subprocess.DEVNULL, stderr=log)
        # The machine must hold every process of the build at once (MkDocs, its workers,
        # Pagefind), so their memory is summed, sampled every 0.5 s (reading a 1.4 GB process's
        # proportional size takes about 20 ms); the largest single process's own peak (rusage)
        # catches what falls between two samples.
        done, together = threading.Event(), [0.0]

        def sample() -> None:
            while not done.wait(0.5):
                together[0] = max(together[0], _tree_memory_mb(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        sampler.join()
        seconds = time.monotonic() - started
        log.seek(0)
        text = log.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"构建失败：{' '.join(command)}\n{text[-2000:]}")
    pages = [p for p in site.rglob("*.html") if "pagefind" not in p.parts]
    cache = re.search(r"页面缓存：(\d+) 页沿用上次的结果，(\d+) 页重新生成", text)  # plugin.on_post_build's line
    return Run(
        seconds,
        max(together[0], usage.ru_maxrss / 1024),
        len(pages),
        sum(p.stat().st_size for p in pages),
        search_payload(site),
        int(cache.group(1)) if cache else 0,
        int(cache.group(2)) if cache else 0,
    )


def search_payload(site: Path) -> int:
    """Bytes a reader downloads, compressed, to run one query.

    Material's search: the whole lunr index and the worker, gzipped, whatever the query.
    Pagefind: its scripts, styles and WebAssembly, then of each part of the index (search.py)
    its entry file, metadata and, for a query of up to two words, its two largest index chunks,
    and the five largest result fragments (the first screen of results) - an upper bound;
    Pagefind's .pf_* and .pagefind files are already compressed, so they count as they are.
    """

    def gz(path: Path) -> int:
        return len(gzip.compress(path.read_bytes()))

    def largest(folder: Path, n: int) -> int:
        return sum(sorted((p.stat().st_size for p in folder.iterdir()), reverse=True)[:n])

    index = site / "search" / "search_index.json"
    if index.exists():
        worker = next(site.glob("assets/javascripts/workers/search.*.min.js"))
        return gz(index) + gz(worker)
    bundle = site / "pagefind"
    if not bundle.exists():
        return 0
    fixed = sum(gz(bundle / name) for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind.js"))
    fixed += sum(p.stat().st_size for p in bundle.glob("wasm.*.pagefind"))
    parts = [bundle, *sorted((bundle / "parts").glob("*/"))]
    each = sum(gz(b / "pagefind-entry.json") + sum(p.stat().st_size for p in b.glob("*.pf_meta")) for b in parts)
    each += sum(largest(b / "index", 2) for b in parts)
    fragments = sorted((p.stat().st_size for b in parts for p in (b / "fragment").iterdir()), reverse=True)
    return fixed + each + sum(fragments[:5])


def measured_search_bytes(site: Path, query: str) -> int | None:
    """measure_search_bytes in a thread of its own: Playwright's sync API refuses to run where
    an asyncio loop already runs (a caller that drives a browser itself, as the tests do)."""
    result: list[int | None] = [None]
    worker = threading.Thread(target=lambda: result.__setitem__(0, measure_search_bytes(site, query)))
    worker.start()
    worker.join()
    return result[0]


def measure_search_bytes(site: Path, query: str) -> int | None:
    """Bytes on the wire for one query typed into the search page, from an empty cache, as a
    reader's phone downloads them: the site served by nginx with the deployers' configuration
    (so compressed as it is in service), the page opened in Chromium with `?q=`, and every
    response the search needs (Pagefind's files and names.json), headers and encoded body, as
    Playwright reports them for the page and its workers: Pagefind fetches its index from a
    worker, whose requests a CDP session on the page does not see. None where nginx,
    Playwright or Chromium is missing."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not (localnginx.nginx() and Path(chromium).exists() and localnginx.DEPLOY_CONFIG.is_file()):
        return None
    finished = []
    with (
        tempfile.TemporaryDirectory(prefix="brochure-nginx-") as work,
        localnginx.serving(site, Path(work)) as base,
        sync_playwright() as driver,
    ):
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
        browser = driver.chromium.launch(executable_path=chromium, args=flags)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.on("requestfinished", lambda request: finished.append(request))
        page = context.new_page()
        page.goto(f"{base}search/?q={urllib.parse.quote(query)}")
        page.wait_for_selector('#brochure-search[data-state="done"]', timeout=120_000)
        page.wait_for_timeout(1000)  # the kind buttons' counts come after the results
        total = sum(search_bytes(finished).values())
        browser.close()
    return total


def bytes_by_address(requests) -> dict[str, int]:
    """Bytes on the wire (headers and encoded body) of Playwright's finished requests, by
    address: the WebAssembly is fetched twice (preloaded, then from the cache)."""
    sizes: dict[str, int] = {}
    for request in requests:
        sent = request.sizes()
        sizes[request.url] = sizes.get(request.url, 0) + sent["responseHeadersSize"] + sent["responseBodySize"]
    return sizes


def search_bytes(requests) -> dict[str, int]:
    """bytes_by_address of the responses a search needs: Pagefind's files and names.json."""
    sizes = bytes_by_address(requests)
    return {url: n for url, n in sizes.items() if "/pagefind/" in url or url.endswith("/names.json")}


def preview_reload(root: Path, post: Path) -> tuple[float, float, float]:
    """Seconds from saving an edited post to `brochure serve` reloading the preview, which must
    then show the edit: first a sentence added to its body, then a new title (which every
    listing of the post shows too), then a new post dated the build date (it goes on top, and
    every later listing page shifts by one). The server's first build is not timed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "brochure", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=_build_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stderr or ()], daemon=True).start()

    def wait_for(text: str, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                if text in lines.get(timeout=left):
                    return
            except queue.Empty:
                break
        raise SystemExit(f"brochure serve：等待 “{text}” 超时")

    def timed_edit(change, shown: str, target: Path = post) -> float:
        # An editor looks at the preview before saving again; the server collects the last
        # build's garbage meanwhile (collector.py). Saving sooner makes the rebuild do it.
        time.sleep(collector.AFTER_RELOAD + 1)
        while not lines.empty():
            lines.get_nowait()  # a late second rebuild of the last edit must not count for this one
        # Saved whole, as editors' tools save: written beside the project (which is not watched),
        # then moved into place, so no rebuild can start on a half-written file.
        staged = root / f".{target.name}.saving"
        staged.write_text(change(post.read_text(encoding="utf-8")), encoding="utf-8")
        started = time.monotonic()
        os.replace(staged, target)
        wait_for("Reloading browsers", 600)
        seconds = time.monotonic() - started
        year, name = target.parent.name, target.stem  # docs/news/2020/01-01-n00000.md
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/news/{year}/{name}/", timeout=30) as response:
                ok = shown in response.read().decode("utf-8")
        except OSError as err:
            raise SystemExit(f"brochure serve：打不开修改过的稿件：{err}") from None
        if not ok:
            raise SystemExit("brochure serve：重新加载后的预览里没有这次的修改")
        return seconds

    try:
        wait_for("Serving on", 1800)
        line = "补记：预览应当立刻显示这一句。"
        sentence = timed_edit(lambda text: f"{text}\n{line}\n", line)
        title = timed_edit(lambda text: text.replace("title: ", "title: 改题：", 1), "改题：")
        # The newest post, dated the build date: it goes on top of every listing it is on.
        day = time.strftime("%Y-%m-%d", time.gmtime(int(_build_env()["SOURCE_DATE_EPOCH"])))
        latest = root / "docs" / "news" / day[:4] / f"{day[5:]}-latest.md"

        def new_post(text: str) -> str:
            text = re.sub(r"(?m)^date: .*$", f"date: {day} 08:00", text)
            return re.sub(r"(?m)^slug: .*$", "slug: latest", text)

        new = timed_edit(new_post, "改题：", latest)
        return sentence, title, new
    finally:
        server.terminate()
        server.wait(timeout=60)


def generate(root: Path) -> float:
    """Seconds to check the content and render every generated page's Markdown."""
    started = time.monotonic()
    settings = load_settings(root / "mkdocs.yml")
    cores = os.cpu_count() or 1  # as in a build (the plugin uses every core for `mkdocs build`)
    with collector.paused():  # as in a build, and in `brochure generate`
        render_site(build_catalogue(validate(settings, cores), settings), settings, workers=cores)
    return time.monotonic() - started


def one_core(command: list[str]) -> list[str]:
    """The command pinned to the first core (taskset), so that neither side gains from a free
    second core; the command as it is where taskset is missing."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", "0", *command] if taskset else command


def run(
    project: Path,
    programmes: int,
    posts: int,
    lecturers: int,
    sites: int,
    with_baseline: bool,
    one_core_rows: bool = True,
) -> str:
    with tempfile.TemporaryDirectory(prefix="brochure-bench-") as tmp:
        root = Path(tmp) / "ours"
        root.mkdir()
        synthesise(root, project, programmes, posts, lecturers, sites)
        generation = generate(root)
        # The generation target is for programmes: the same project without its news.
        programmes_only = Path(tmp) / "programmes-only"
        shutil.copytree(root, programmes_only, ignore=shutil.ignore_patterns("news"))
        programme_generation = generate(programmes_only)
        # The demo's own configuration (PDFs, the zh-Hant copy, search), against the baseline
        # without them: what an institution that keeps the defaults waits for. Built first, in
        # its own copy, so that its PDFs are cold.
        configured = Path(tmp) / "configured"
        shutil.copytree(root, configured)
        config = configured / "mkdocs.yml"
        config.write_text(
            config.read_text(encoding="utf-8")
            .replace("zh_hant: false", "zh_hant: true")
            .replace("pdf: false", "pdf: true"),
            encoding="utf-8",
        )
        site = root / "site"
        build = [sys.executable, "-m", "brochure", "build", "-d", str(site)]
        with_everything = timed_build(
            [sys.executable, "-m", "brochure", "build", "-d", str(configured / "site")], configured, configured / "site"
        )
        shutil.rmtree(configured)
        ours = timed_build(build, root, site)
        # Built again at once: nothing the build reads has changed (laststamp.py).
        unchanged = timed_build(build, root, site)
        # An editor adds a paragraph to one post and builds again: the page cache keeps the
        # pages that did not change (tests/test_pagecache.py checks the result is a clean build).
        post = min((root / "docs" / "news").rglob("*.md"))
        with post.open("a", encoding="utf-8") as f:
            f.write("\n补记：结业仪式上，学员代表结合岗位实际作了交流发言。\n")
        edited = timed_build(build, root, site)
        # A new post, the newest: it goes on top of every listing it is on.
        added_post = post.with_name("12-31-benchmark-added.md")
        text = re.sub(r"(?m)^slug: .*$", "slug: benchmark-added", post.read_text(encoding="utf-8"))
        added_post.write_text(re.sub(r"(?m)^date: (\d{4})-.*$", r"date: \1-12-31 08:00", text), encoding="utf-8")
        added = timed_build(build, root, site)
        searched = measured_search_bytes(site, "讲师0")
        ours_one_core = None
        if one_core_rows:
            # Cold, as `full build` was: without this the build finds nothing changed
            # (laststamp.py) and the row measured 0.6 s of nothing.
            shutil.rmtree(site)
            shutil.rmtree(root / ".cache")
            ours_one_core = timed_build(one_core(build), root, site)
            if ours_one_core.converted < ours.converted or not ours.converted:
                raise SystemExit(f"“full build, one core” was not a cold build: {ours_one_core}")
        reload_sentence, reload_title, reload_new = preview_reload(root, post)
        rows = [("", "ours", "baseline", "ratio")]
        base = base_one_core = None
        if with_baseline:
            target = Path(tmp) / "baseline"
            target.mkdir()
            baseline(root, target)
            stock = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(target / "site")]
            base = timed_build(stock, target, target / "site")
            base_one_core = timed_build(one_core(stock), target, target / "site") if one_core_rows else None

        def row(name: str, mine: float, theirs: float | None, fmt: str) -> tuple[str, str, str, str]:
            if theirs is None:
                return (name, fmt.format(mine), "–", "–")
            return (name, fmt.format(mine), fmt.format(theirs), f"{mine / theirs:.2f}" if theirs else "–")

        def seconds(run: Run | None) -> float | None:
            return run.seconds if run else None

        rows.append((f"generation, {programmes} programmes", f"{programme_generation:.2f} s", "–", "–"))
        rows.append(("generation, all pages", f"{generation:.2f} s", "–", "–"))
        rows.append(row("full build", ours.seconds, seconds(base), "{:.1f} s"))
        if ours_one_core:
            rows.append(row("full build, one core", ours_one_core.seconds, seconds(base_one_core), "{:.1f} s"))
        rows.append(row("full build, PDF and zh-Hant", with_everything.seconds, seconds(base), "{:.1f} s"))
        rows.append(row("pages", ours.pages, base and base.pages, "{:.0f}"))
        rows.append(
            row(
                "time per page",
                ours.seconds / ours.pages * 1000,
                base and base.seconds / base.pages * 1000,
                "{:.1f} ms",
            )
        )
        rows.append(row("rebuild, nothing changed", unchanged.seconds, seconds(base), "{:.1f} s"))
        rows.append(row("one post edited: published", edited.seconds, seconds(base), "{:.1f} s"))
        rows.append(("  pages taken from the page cache", f"{edited.reused}", "–", "–"))
        rows.append(("one post edited: preview reload", f"{reload_sentence:.1f} s", "–", "–"))
        rows.append(("one post retitled: preview reload", f"{reload_title:.1f} s", "–", "–"))
        rows.append(row("one post added: published", added.seconds, seconds(base), "{:.1f} s"))
        rows.append(("one post added: preview reload", f"{reload_new:.1f} s", "–", "–"))
        peak = max(r.peak_mb for r in (ours, unchanged, edited, added, with_everything))
        rows.append(row("peak memory", peak, base and base.peak_mb, "{:.0f} MB"))
        rows.append(
            row(
                "HTML per page",
                ours.html_bytes / ours.pages / 1024,
                base and base.html_bytes / base.pages / 1024,
                "{:.1f} KB",
            )
        )
        rows.append(row("search payload (gzip)", ours.search_gz / 1024, base and base.search_gz / 1024, "{:.0f} KB"))
        measured = f"{searched / 1024:.0f} KB" if searched is not None else "– (needs nginx, Playwright, Chromium)"
        rows.append(("search bytes per query (measured)", measured, "–", "–"))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        head = f"{programmes} programmes, {posts} posts, {lecturers} lecturers, {sites} sites; {os.cpu_count()} cores"
        table = [head, *("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)) for r in rows)]
        return "\n".join(table)
