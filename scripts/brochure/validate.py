"""Validation: find every YAML file, check it against the schema, and gather all problems.

Nothing is rendered or written until this passes, so a mistake never reaches the site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings
from .loader import load_yaml
from .problems import ContentError, Problems
from .schema import LIBRARIES, SLUG_RE, Context, check_library, check_programme

# Page names the generator itself uses inside programmes/; a programme cannot take them.
RESERVED_SLUGS = {"index", "libraries"}


@dataclass
class ProgrammeSource:
    slug: str
    file: str
    data: dict


@dataclass
class Content:
    """Everything that passed validation, still as plain checked records."""

    programmes: list[ProgrammeSource] = field(default_factory=list)
    libraries: dict[str, list[dict]] = field(default_factory=dict)


def programme_files(settings: Settings) -> list[Path]:
    root = settings.content_dir
    if not root.is_dir():
        return []
    files = [p for pattern in ("*.yml", "*.yaml") for p in root.rglob(pattern)]
    return sorted(p for p in files if settings.libraries_dir not in p.parents)


def library_file(settings: Settings, name: str) -> Path:
    for suffix in (".yml", ".yaml"):
        candidate = settings.libraries_dir / f"{name}{suffix}"
        if candidate.exists():
            return candidate
    return settings.libraries_dir / f"{name}.yml"


def _inside(path: Path, root: Path, problems: Problems, display: str) -> bool:
    """A symlink must not lead outside the project: its target would be published."""
    if not path.resolve().is_relative_to(root.resolve()):
        problems.add(display, 0, "", "这是一个指向项目之外的链接文件。", "请把文件本身复制进来，而不是链接。")
        return False
    return True


def validate(settings: Settings) -> Content:
    """Check all content; raise ContentError listing every problem at once."""
    problems = Problems()
    content = Content()
    library_ids: dict[str, set[str]] = {}

    for name in LIBRARIES:
        path = library_file(settings, name)
        display = settings.display(path)
        content.libraries[name] = []
        if not path.exists():
            continue  # an institution may start without, say, a sites library
        if not _inside(path, settings.root, problems, display):
            continue
        doc = load_yaml(path, display, problems)
        if doc is None:
            continue
        entries = check_library(name, doc, Context(doc, problems, settings))
        content.libraries[name] = entries
        library_ids[name] = {e["id"] for e in entries}

    seen: dict[str, str] = {}
    for path in programme_files(settings):
        display = settings.display(path)
        if not _inside(path, settings.root, problems, display):
            continue
        slug = path.stem
        if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
            problems.add(
                display,
                0,
                "",
                f"文件名 “{path.name}” 不能用作网址。",
                "文件名只用小写英文字母、数字和连字符，例如 2025-shebao-yanxiuban.yml，且不能叫 index。",
            )
            continue
        if slug in seen:
            problems.add(
                display,
                0,
                "",
                f"班次网址 “{slug}” 与 {seen[slug]} 重复。",
                "两个文件不能同名（即使在不同文件夹里），请改其中一个的文件名。",
            )
            continue
        seen[slug] = display
        doc = load_yaml(path, display, problems)
        if doc is None:
            continue
        record = check_programme(doc, Context(doc, problems, settings, library_ids))
        if record is not None:
            content.programmes.append(ProgrammeSource(slug, display, record))

    if problems:
        raise ContentError(problems)
    return content
