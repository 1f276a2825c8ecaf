"""The browser admin's configuration (Decap CMS, `admin/config.yml`), made from the schema.

The same declaration (schema.py) checks the content, writes the JSON Schemas and the field
reference, and here gives the admin its collections, widgets, Chinese labels and hints, so the
admin cannot offer a field that `check` refuses or miss one it needs.

Why Decap and not Sveltia (docs/editors/admin.md has the whole comparison): Decap's bundle
carries its Chinese interface and fetches nothing from a foreign host, and its local backend
(decap-server, on 127.0.0.1) writes straight into the project folder, which a test can drive.
Sveltia's bundle fetches its Chinese strings, fonts and helpers from unpkg.com and jsdelivr,
and its local mode needs a native folder picker.

Decap's file collections hold named fields, never a bare list, so it reads and writes a
library as `lecturers: [...]` (schema.library_list reads both forms).

The files of /admin/ are made here too: under `brochure serve` with the local backend
(admin.py), and in a built site with the institution's own Git server (the `admin` option),
where each editor signs in with their own account and every save is a commit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .config import Settings
from .schema import (
    IMAGE_SUFFIXES,
    LIBRARIES,
    LIBRARY_LABELS,
    POST,
    PROGRAMME,
    Bool,
    Choice,
    Credits,
    Date,
    DateTime,
    DocFile,
    Email,
    Field,
    Integer,
    Kind,
    ListOf,
    Number,
    OneOf,
    Record,
    Ref,
    Slug,
    Text,
    TimeRange,
    Url,
)

# A field's doc is its label, then what to write: "编号：小写拼音加连字符，全库唯一".
_LABEL_END = re.compile(r"[：，；]")


def label_and_hint(doc: str) -> tuple[str, str]:
    parts = _LABEL_END.split(doc, maxsplit=1)
    return parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")


def widget(name: str, spec: Field, settings: Settings, media: str | None = None) -> dict[str, Any]:
    """One Decap field for one schema field. `media` is the folder (relative to docs/) that a
    file field uploads into; None means beside the entry (a post's photos)."""
    label, hint = label_and_hint(spec.doc)
    out: dict[str, Any] = {"name": name, "label": label, "required": bool(spec.required)}
    if hint:
        out["hint"] = hint
    out.update(_kind(spec.kind, settings, media))
    if out["widget"] == "relation":
        # The schema's hint tells a YAML writer to type an id; here the editor picks a name.
        many = "，可选多位" if out.get("multiple") else ""
        out["hint"] = f"输入名称中的几个字，从列表中选{many}"
    if isinstance(spec.kind, Record) and not spec.required:
        # Decap checks the fields of an object even when it is left empty, so an optional group
        # (a cover: image and alt) could never be left out; check still wants both when one is.
        for child in out["fields"]:
            if child["required"]:
                child["required"] = False
                child["hint"] = "填写这一组时必填" + ("；" + child["hint"] if child.get("hint") else "")
    return out


def _kind(kind: Kind, settings: Settings, media: str | None) -> dict[str, Any]:
    docs = settings.docs_dir.relative_to(settings.root).as_posix()
    if isinstance(kind, Record):
        return {"widget": "object", "fields": [widget(n, f, settings, media) for n, f in kind.fields.items()]}
    if isinstance(kind, ListOf):
        if isinstance(kind.item, Record):
            fields = [widget(n, f, settings, media) for n, f in kind.item.fields.items()]
            return {"widget": "list", "fields": fields, "collapsed": True}
        if isinstance(kind.item, Ref | OneOf):
            return {**_kind(kind.item, settings, media), "multiple": True}
        return {"widget": "list"}  # a list of words, typed with commas
    if isinstance(kind, Ref):
        if kind.library == "programmes":
            return {
                "widget": "relation",
                "collection": "programmes",
                "value_field": "{{slug}}",
                "search_fields": ["title"],
                "display_fields": ["title"],
            }
        return {
            "widget": "relation",
            "collection": "libraries",
            "file": kind.library,
            "value_field": f"{kind.library}.*.id",
            "search_fields": [f"{kind.library}.*.name", f"{kind.library}.*.id"],
            "display_fields": [f"{kind.library}.*.name"],
        }
    if isinstance(kind, Choice):
        return {"widget": "select", "options": list(kind.options(settings))}
    if isinstance(kind, OneOf):
        return {"widget": "select", "options": list(kind.options)}
    if isinstance(kind, Bool):
        return {"widget": "boolean", "default": False}
    if isinstance(kind, DateTime):
        return {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "YYYY-MM-DD", "time_format": "HH:mm"}
    if isinstance(kind, Date):
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
    if isinstance(kind, Integer):
        return {"widget": "number", "value_type": "int", "min": kind.minimum}
    if isinstance(kind, Number):
        return {"widget": "number", "value_type": "float"}
    if isinstance(kind, Credits):
        # One box per role; several names go in one box as they are printed: 王晨阳、刘洋.
        roles = [{"name": r, "label": r, "widget": "string", "required": False} for r in settings.credit_roles]
        return {"widget": "object", "fields": roles}
    if isinstance(kind, DocFile):
        images = bool(kind.suffixes) and set(kind.suffixes) <= set(IMAGE_SUFFIXES)
        folder = media if images else "attachments"
        place = {} if media is None or kind.beside else {"media_folder": f"/{docs}/{folder}", "public_folder": folder}
        return {"widget": "image" if images else "file", **place}
    if isinstance(kind, Url | Email | Slug | TimeRange):
        pattern = {
            Url: (r"^https?://\S+$", "以 http:// 或 https:// 开头的网址"),
            Email: (r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "电子邮件地址"),
            Slug: (r"^[a-z0-9]+(-[a-z0-9]+)*$", "只用小写英文字母、数字和连字符"),
            TimeRange: (r"^\s*\d{1,2}:\d{2}\s*[-–—~～至]\s*\d{1,2}:\d{2}\s*$", "例如 08:30-11:30"),
        }[type(kind)]
        return {"widget": "string", "pattern": list(pattern)}
    if isinstance(kind, Text) and kind.markdown:
        # A plain text box: Decap's rich editor rewrites Markdown it did not need to touch.
        return {"widget": "text"}
    return {"widget": "string"}  # Text, OrgRef (an id or a unit's name), Fee (a number or words)


def news_years(settings: Settings) -> list[str]:
    """The years that have a news folder, and the build's year, newest first."""
    news = settings.docs_dir / settings.news_dir
    found = news.iterdir() if news.is_dir() else ()
    years = {p.name for p in found if p.is_dir() and re.fullmatch(r"\d{4}", p.name)}
    years.add(str(settings.build_date.year))
    return sorted(years, reverse=True)


def admin_config(settings: Settings, backend: dict[str, Any]) -> dict[str, Any]:
    """Decap's config.yml, as data. `backend` is where it reads and writes (decap-server under
    `brochure serve`: {"name": "proxy", "proxy_url": …})."""
    root = settings.root
    docs = settings.docs_dir.relative_to(root).as_posix()
    programmes = settings.content_dir.relative_to(root).as_posix()
    libraries = settings.libraries_dir.relative_to(root).as_posix()
    post_fields = [widget(n, f, settings) for n, f in POST.fields.items()]
    for f in post_fields:
        if f["name"] == "slug":
            # The admin names a new post's file from it (the collection's slug below); without
            # one the file would be 11-20-.md. Changing it on a published post moves its address.
            f["required"] = True
            f["hint"] = "必填：小写英文或拼音加连字符，用作文件名和网址；已发布的稿件请勿改动"
    post_fields.append({"name": "body", "label": "正文", "widget": "markdown", "modes": ["raw"]})
    collections: list[dict[str, Any]] = [
        {
            "name": f"news-{year}",
            "label": f"新闻稿（{year}年）",
            "label_singular": "新闻稿",
            "folder": f"{docs}/{settings.news_dir}/{year}",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            # The file name the guide asks for: 月-日-网址名.md, in the year's folder.
            "slug": "{{month}}-{{day}}-{{fields.slug}}",
            "identifier_field": "title",
            "summary": "{{date}} {{title}}",
            "sortable_fields": ["date", "title"],
            "media_folder": "",  # photos beside the post, as the guide and check expect
            "public_folder": "",
            "fields": post_fields,
        }
        for year in news_years(settings)
    ]
    collections.append(
        {
            "name": "programmes",
            "label": "班次",
            "label_singular": "班次",
            "folder": programmes,
            "extension": "yml",
            "format": "yml",
            # A new programme's file name is its web address, which the form has no field for:
            # new programmes are made with `brochure new programme`, then edited here.
            "create": False,
            "identifier_field": "title",
            "fields": [widget(n, f, settings, media="images") for n, f in PROGRAMME.fields.items()],
        }
    )
    collections.append(
        {
            "name": "libraries",
            "label": "资料库",
            "files": [
                {
                    "name": name,
                    "label": f"{LIBRARY_LABELS[name]}库",
                    "file": f"{libraries}/{name}.yml",
                    "fields": [
                        {
                            "name": name,
                            "label": LIBRARY_LABELS[name],
                            "widget": "list",
                            "collapsed": True,
                            "summary": "{{fields.name}}（{{fields.id}}）",
                            "fields": [
                                widget(n, f, settings, media=f"images/{name}") for n, f in record.fields.items()
                            ],
                        }
                    ],
                }
                for name, record in LIBRARIES.items()
            ],
        }
    )
    return {
        "locale": "zh_Hans",
        "backend": backend,
        "media_folder": f"{docs}/images",
        "public_folder": "images",
        "site_url": settings.site_url or None,
        "collections": collections,
    }


def admin_config_yaml(settings: Settings, backend: dict[str, Any]) -> str:
    config = {k: v for k, v in admin_config(settings, backend).items() if v is not None}
    header = "# 由 brochure 根据内容模型生成（scripts/brochure/cms.py），请勿手工修改。\n"
    return header + yaml.dump(config, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=1000)


class _Plain(yaml.SafeDumper):
    """Every collection's fields written out in full, without YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# --- the files of /admin/ ----------------------------------------------------------------

ADMIN = "admin"
# The project's own npm packages, or else those of the checkout this package runs from.
CHECKOUT_MODULES = Path(__file__).resolve().parents[2] / "node_modules"


def _page(title: str) -> str:
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>网站后台 - {title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<script>
// mkdocs serve adds its live-reload script to every page, this one too; reloading after each
// save (every save rebuilds the preview) would throw away what the editor is typing elsewhere.
(function () {{
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {{
    if (String(url).indexOf("/livereload/") === 0) {{
      this.send = function () {{}};
      return;
    }}
    return open.apply(this, arguments);
  }};
}})();
</script>
</head>
<body>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def decap_dist(settings: Settings) -> Path:
    modules = next((p for p in (settings.root / "node_modules", CHECKOUT_MODULES) if p.is_dir()), CHECKOUT_MODULES)
    return modules / "decap-cms/dist"


def admin_files(settings: Settings, backend: dict) -> dict[str, str | Path]:
    """{path in the site: text, or the file to copy} for /admin/."""
    dist = decap_dist(settings)
    out: dict[str, str | Path] = {
        f"{ADMIN}/index.html": _page(settings.site_name or ""),
        f"{ADMIN}/config.yml": admin_config_yaml(settings, backend),
    }
    for path in sorted(dist.iterdir()):
        # The bundle and the chunks and WebAssembly it loads beside itself; not the source maps
        # (50 MB), nor the second copy of the bundle under the name cms.js.
        if path.name.endswith(("decap-cms.js", ".wasm")):
            out[f"{ADMIN}/{path.name}"] = path
    return out


def git_backend(option: dict) -> dict:
    """Decap's backend for the `admin` option: the institution's own Git server, where each
    editor signs in with their account (OAuth2 with PKCE: the site keeps no secret)."""
    url = option["url"].rstrip("/")
    backend = {"name": option["backend"], "repo": option["repo"], "branch": option["branch"] or "main"}
    backend["app_id"] = option["app_id"]
    backend["base_url"] = url  # where Gitea and GitLab send the editor to sign in
    if option["backend"] == "gitlab":
        return {**backend, "api_root": f"{url}/api/v4", "auth_type": "pkce"}
    return {**backend, "api_root": f"{url}/api/v1"}  # Forgejo finds its sign-in page from this


def published_admin(settings: Settings) -> dict[str, bytes] | None:
    """/admin/ for the built site, or None when the npm packages are not installed."""
    if not (decap_dist(settings) / "decap-cms.js").is_file():
        return None
    files = admin_files(settings, git_backend(settings.admin))
    return {path: (src.read_bytes() if isinstance(src, Path) else src.encode("utf-8")) for path, src in files.items()}
