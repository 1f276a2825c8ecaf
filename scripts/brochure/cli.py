"""The one command-line entry: `brochure check | build | serve | generate | schema`.

Every command reads the institution's settings from mkdocs.yml. Content problems are
printed as a list and end in exit status 1, never in a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path

from mkdocs.exceptions import PluginError

from . import collector, laststamp
from .config import CHINA_TZ, Settings
from .importer import article_files, parse_article, report, write_post
from .previous import environment, forget_others
from .problems import ContentError, report_drafts
from .publish import recover_site, swap_into_place, sync_folder
from .recipe import SiteError
from .reference import generated_files, scaffold_post, scaffold_programme
from .review import awaiting_review
from .review import summary as review_summary
from .schema import SLUG_RE
from .search import INDEXED_BY_CALLER, index_site
from .tree import write_tree
from .urls import REVIEW_URL
from .validate import load_settings, validate, validate_once
from .variant import VARIANT_ENV, ZH_HANT

# The command line runs no other threads, so checking and rendering may fork (parallel.py).
CORES = os.cpu_count() or 1


def _settings(args: argparse.Namespace) -> Settings:
    config = Path(args.config_file)
    if not config.is_file():
        raise SystemExit(f"找不到配置文件 {config}。请在项目根目录运行，或用 -f 指定 mkdocs.yml。")
    return load_settings(config)


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    with collector.paused():
        content = validate(settings, CORES)
    counts = {name: len(entries) for name, entries in content.libraries.items()}
    programmes = sum(not p.draft for p in content.programmes)
    posts = sum(not post.data["draft"] for post in content.posts)
    print(
        f"检查通过：{programmes} 个班次，{counts['lecturers']} 位讲师，"
        f"{counts['sites']} 个现场教学点，{counts['organisations']} 个单位，{posts} 篇新闻稿。"
    )
    awaiting = awaiting_review(content, settings)
    if awaiting:
        print(f"{review_summary(awaiting)}。明细见预览（brochure serve）的“待审”页面：/{REVIEW_URL}")
    if content.draft_problems:
        print(report_drafts(content.draft_problems), file=sys.stderr)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    """Write the whole site as a docs folder with its own mkdocs.yml (tree.py): for reading,
    or for a builder with no plugin of ours (plain MkDocs, Zensical)."""
    settings = _settings(args)
    out = Path(args.out)
    try:
        with collector.paused():
            configs = write_tree(settings, out, CORES, typeset=not args.no_pdf_files)
    except SiteError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"已生成完整的文档目录：{out}/docs/（配置 {out}/mkdocs.yml）")
    for path, config in configs.items():
        if path:
            print(f"繁体版：{out}/{path}/docs/（配置 {config}，在简体版之后构建，生成到 site/{path}/）")
    return 0


def _mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def _mkdocs_env() -> dict[str, str]:
    # Material 9.7+ prints a banner about MkDocs 2.0 on every run; editors need not see it.
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a fresh folder and swap it in only when the build succeeded.

    A failed or interrupted build therefore never leaves a half-written site/ behind.
    """
    settings = _settings(args)
    site = (settings.root / args.site_dir).resolve()
    recover_site(site)  # an earlier build killed while swapping left the old site aside
    builder = getattr(args, "builder", "mkdocs")
    request = {"builder": builder, "strict": args.strict, "strict_drafts": getattr(args, "strict_drafts", None)}
    inputs = laststamp.inputs_digest(settings, site, {**request, "config": args.config_file, "site": str(site)})
    last = laststamp.unchanged(settings, site, inputs)
    if last is not None:  # nothing the build reads has changed, and site/ is as it left it
        if last["drafts"]:
            print(last["drafts"], file=sys.stderr)
        print(f"没有改动：{settings.display(site)}/ 就是这些文件构建出的网站，未重新构建。")
        return 0
    # The published site as the last build left it: this build links what it would write the same.
    published = laststamp.intact(settings, site)
    laststamp.forget(settings, site)
    with collector.paused():
        content = validate_once(settings, CORES)  # its report is clearer than MkDocs' log lines; the plugin reuses it
    drafts = report_drafts(content.draft_problems) if content.draft_problems else ""
    if content.draft_problems:
        print(drafts, file=sys.stderr)
        if getattr(args, "strict_drafts", args.strict):
            print("使用了 --strict：草稿中的问题也要先改正。原有的 site/ 未被改动。", file=sys.stderr)
            return 1
    staging = site.with_name(f".{site.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    started = time.monotonic()
    if builder == "zensical":
        failed = _build_with_zensical(settings, content, staging, args.strict)
        if failed:
            shutil.rmtree(staging, ignore_errors=True)
            print("构建失败，原有的 site/ 未被改动。", file=sys.stderr)
            return failed
        swap_into_place(staging, site)
        laststamp.remember(settings, site, inputs, drafts)
        print(f"网站已生成（Zensical）：{settings.display(site)}/（{time.monotonic() - started:.1f} 秒）")
        return 0
    build = uuid.uuid4().hex
    builds = [(staging, site, _mkdocs_env())]
    if settings.zh_hant:
        # The Traditional Chinese copy: the same build again, converted, under its own path.
        hant = settings.zh_hant_path
        builds.append((staging / hant, site / hant, {**_mkdocs_env(), VARIANT_ENV: ZH_HANT}))
    for target, published_copy, env in builds:
        command = _mkdocs("build", "-f", args.config_file, "-d", str(target))
        previous = published_copy if published else None
        if previous:
            command.append("--dirty")  # into the empty staging folder: see previous.py
        if args.strict:
            command.append("--strict")
        env = {**env, INDEXED_BY_CALLER: "1", **environment(build, previous, published and published["build"])}
        # The search index is made here, after MkDocs has exited and freed its memory (search.py).
        failed = subprocess.run(command, env=env).returncode
        if not failed:
            try:
                copy = "zh-hant" if target != staging else "site"
                cache = settings.cache_dir / "search-index" / copy
                reused, indexed = index_site(target, cache, previous)
                print(f"搜索索引：{reused} 份沿用上次的结果，{indexed} 份重新生成。", file=sys.stderr)
            except PluginError as err:
                print(err, file=sys.stderr)
                failed = 1
        if failed:
            shutil.rmtree(staging, ignore_errors=True)
            print("构建失败，原有的 site/ 未被改动。", file=sys.stderr)
            return failed
    swap_into_place(staging, site)  # site/ holds the old site or the new one at every instant
    laststamp.remember(settings, site, inputs, drafts, build)
    forget_others(settings.cache_dir, laststamp.builds(settings))
    print(f"网站已生成：{settings.display(site)}/（{time.monotonic() - started:.1f} 秒）")
    return 0


def _build_with_zensical(settings: Settings, content, staging: Path, strict: bool) -> int:
    """The recipe's tree (tree.py), built by Zensical copy by copy, then indexed by Pagefind."""
    tree = settings.cache_dir / "tree"
    try:
        with collector.paused():
            configs = write_tree(settings, tree, CORES, content)
    except SiteError as err:
        print(err, file=sys.stderr)
        return 1
    zensical = Path(sys.executable).with_name("zensical")
    shutil.rmtree(tree / "site", ignore_errors=True)
    for config in configs.values():  # the Simplified copy first: the others go inside it
        command = [str(zensical), "build", "-f", str(config)]
        if strict:
            command.append("--strict")
        if subprocess.run(command).returncode:
            return 1
    os.replace(tree / "site", staging)
    for path in configs:
        try:
            index_site(staging / path if path else staging)
        except PluginError as err:
            print(err, file=sys.stderr)
            return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # Content problems are shown plainly before the server starts; the result is remembered
    # for the server's first build.
    with collector.paused():
        try:
            validate_once(_settings(args), CORES)
        except ContentError as err:
            # Served all the same: the preview shows the problems until they are fixed.
            print(f"{err}\n预览会显示这些问题，改好保存后自动刷新。", file=sys.stderr)
    # --dirty: the preview folder is updated in place, not emptied at every rebuild (preview.py).
    command = _mkdocs("serve", "--dirty", "-f", args.config_file, "-a", args.dev_addr)
    # Become the server process, so that stopping `brochure serve` stops the server too.
    os.execve(sys.executable, command, _mkdocs_env())


def cmd_schema(args: argparse.Namespace) -> int:
    """Write (or with --check, verify) the JSON Schemas and the editors' field reference."""
    settings = _settings(args)
    stale = []
    for path, text in generated_files(settings).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(settings.display(path))
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("以下文件落后于内容模型，请运行 brochure schema：\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    print("已更新：" + "、".join(stale) if stale else "字段参考和 JSON Schema 已是最新。")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Scaffold a post or a programme with every field, so nobody starts from a blank file."""
    settings = _settings(args)
    now = datetime.now(CHINA_TZ)
    if args.kind == "post":
        slug = args.slug or _free_post_slug(settings, now)
        target = settings.docs_dir / settings.news_dir / f"{now:%Y}" / f"{now:%m-%d}-{slug}.md"
        if args.slug and not SLUG_RE.match(args.slug):
            raise SystemExit("--slug 只能用小写英文字母、数字和连字符，例如 kaiban-yishi。")
        text = scaffold_post(settings, args, now, slug)
    else:
        slug = args.slug or args.title
        if not slug or not SLUG_RE.match(slug):
            raise SystemExit("请给出班次网址名，例如：brochure new programme 2027-shebao-yanxiuban")
        target = settings.content_dir / f"{slug}.yml"
        text = scaffold_programme(now.date())
    if target.exists():
        print(f"文件已存在，未覆盖：{settings.display(target)}", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(settings.display(target))
    return 0


def _free_post_slug(settings: Settings, now: datetime) -> str:
    folder = settings.docs_dir / settings.news_dir / f"{now:%Y}"
    n = 1
    while (folder / f"{now:%m-%d}-post-{n}.md").exists():
        n += 1
    return f"post-{n}"


def cmd_import(args: argparse.Namespace) -> int:
    """Turn saved articles (text, Markdown, HTML) into news posts, with a report."""
    settings = _settings(args)
    source = Path(args.path)
    if not source.exists():
        raise SystemExit(f"找不到 {source}")
    now = datetime.now(CHINA_TZ)
    created = skipped = review = 0
    print("导入报告")
    for path in article_files(source):
        article = parse_article(path, settings, args.convert)
        target, new = write_post(article, settings, args.category, now)
        for line in report(article, target, new, settings):
            print(line)
        created += new
        skipped += not new
        review += new and "draft: true" in target.read_text(encoding="utf-8")
    print(f"合计：新导入 {created} 篇（其中 {review} 篇为草稿，待编辑核对），已导入过而跳过 {skipped} 篇。")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Build, then copy to the target only what changed. A failed build publishes nothing."""
    settings = _settings(args)
    if not args.no_build:
        try:
            # Strict about the site (a broken link stops it), not about drafts, which are not
            # published: a draft waiting for review must not hold back everything else.
            built = cmd_build(argparse.Namespace(**{**vars(args), "strict": True, "strict_drafts": False}))
        except ContentError as err:
            print(err, file=sys.stderr)
            built = 1
        if built != 0:
            print("构建失败，没有发布任何文件。", file=sys.stderr)
            return built
    site = (settings.root / args.site_dir).resolve()
    if not (site / "index.html").is_file():
        print(f"{settings.display(site)}/ 里没有已生成的网站，请先构建。", file=sys.stderr)
        return 1
    if re.match(r"^[^/]+:", args.target):  # user@host:/path — an rsync target
        command = ["rsync", "-a", "--checksum", "--delete", "--itemize-changes", f"{site}/", args.target]
        if args.dry_run:
            command.insert(1, "--dry-run")
        return subprocess.run(command).returncode
    copied, removed = sync_folder(site, Path(args.target), dry_run=args.dry_run)
    if args.dry_run:
        print(f"试运行（--dry-run）：没有发布任何文件。发布到 {args.target} 时会：")
        for path in copied:
            print(f"  将更新 {path}")
        for path in removed:
            print(f"  将删除 {path}")
        print(f"合计：将更新 {len(copied)} 个文件，删除 {len(removed)} 个文件。")
        return 0
    print(f"已发布到 {args.target}：更新 {len(copied)} 个文件，删除 {len(removed)} 个文件。")
    return 0


def cmd_benchmark(args: argparse.Namespace) -> int:
    from .benchmark import run

    project = Path(args.config_file).resolve().parent
    print(run(project, args.programmes, args.posts, args.lecturers, args.sites, not args.no_baseline))
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="brochure", description="培训项目网站：检查、构建、预览。")
    top.add_argument("-f", "--config-file", default="mkdocs.yml", help="配置文件（默认 mkdocs.yml）")
    sub = top.add_subparsers(dest="command", required=True)

    sub.add_parser("check", help="只检查班次和资料库，不生成网站（快，适合提交前运行）").set_defaults(run=cmd_check)

    build = sub.add_parser("build", help="检查并生成网站到 site/")
    build.add_argument("-d", "--site-dir", default="site")
    build.add_argument("--strict", action="store_true", help="有任何警告（如坏链接）即失败")
    build.add_argument(
        "--builder",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="把 Markdown 变成网页的工具：mkdocs（默认）或 zensical（Material 作者的后继工具）",
    )
    build.set_defaults(run=cmd_build)

    serve = sub.add_parser("serve", help="本地预览，修改 YAML、模板或 Markdown 后自动刷新")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000")
    serve.set_defaults(run=cmd_serve)

    generate = sub.add_parser(
        "generate", help="把整个网站写成一个文档目录和 mkdocs.yml（供查看，或不装本插件也能用 MkDocs、Zensical 构建）"
    )
    generate.add_argument("-o", "--out", default="build/generated")
    generate.add_argument("--no-pdf-files", action="store_true", help="不排版 PDF 简章文件（页面里的链接照旧）")
    generate.set_defaults(run=cmd_generate)

    new = sub.add_parser("new", help="从模板新建一篇新闻稿或一个班次文件（不会覆盖已有文件）")
    new.add_argument("kind", choices=["post", "programme"], help="post：新闻稿；programme：班次")
    new.add_argument("title", nargs="?", default="", help="新闻标题（post），或班次网址名（programme）")
    new.add_argument("--slug", help="网址名：小写英文或拼音加连字符；班次必填")
    new.add_argument("--programme", help="相关班次的文件名（不含 .yml）")
    new.add_argument("--category", help="栏目")
    new.set_defaults(run=cmd_new)

    publish = sub.add_parser("publish", help="构建后把 site/ 同步到一个文件夹或 rsync 目标，只复制有变化的文件")
    publish.add_argument("target", help="文件夹路径，或 user@host:/path（用 rsync）")
    publish.add_argument("-d", "--site-dir", default="site")
    publish.add_argument("--no-build", action="store_true", help="不重新构建，发布现有的 site/")
    publish.add_argument("--dry-run", action="store_true", help="只列出会变化的文件")
    publish.set_defaults(run=cmd_publish)

    bench = sub.add_parser(
        "benchmark", help="合成一个指定规模的机构，与原版 MkDocs + Material 对比构建时间、内存和体积"
    )
    bench.add_argument("--programmes", type=int, default=2000)
    bench.add_argument("--posts", type=int, default=3000)
    bench.add_argument("--lecturers", type=int, default=300)
    bench.add_argument("--sites", type=int, default=100)
    bench.add_argument("--no-baseline", action="store_true", help="只构建本项目")
    bench.set_defaults(run=cmd_benchmark)

    imp = sub.add_parser("import", help="把旧网站、公众号保存下来的文章（txt/md/html）导入为新闻稿")
    imp.add_argument("path", help="一个文件或一个文件夹")
    imp.add_argument("--category", help="栏目（默认第一个栏目）")
    imp.add_argument(
        "--convert",
        choices=["t2s", "s2t", "s2tw", "s2twp", "s2hk", "hk2s", "tw2s", "tw2sp"],
        help="用 OpenCC 转换繁简，例如 t2s（繁体转简体）",
    )
    imp.set_defaults(run=cmd_import)

    schema = sub.add_parser("schema", help="更新 docs/schema/*.json 和 docs/editors/reference.md")
    schema.add_argument("--check", action="store_true", help="只检查是否最新")
    schema.set_defaults(run=cmd_schema)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as err:
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
