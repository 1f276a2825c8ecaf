"""The browser admin (Decap CMS at /admin/ under `brochure serve`), made from the schema."""

from __future__ import annotations

import pytest

from brochure.cms import admin_config
from brochure.schema import LIBRARIES, POST, PROGRAMME, Choice, ListOf, Record
from conftest import ROOT, static_server

BACKEND = {"name": "proxy", "proxy_url": "http://127.0.0.1:1/api/v1"}


def demo_config() -> dict:
    from brochure.validate import load_settings

    return admin_config(load_settings(ROOT / "mkdocs.yml"), BACKEND)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def fields_of(record: Record, admin_fields: list[dict], where: str, group_required: bool = True) -> list[str]:
    """What the admin lacks or has wrong, field by field, nested records and lists included.
    In a group that may be left out (a cover), the admin can require nothing: Decap would then
    refuse to save a programme without one."""
    by_name = {f["name"]: f for f in admin_fields}
    wrong = []
    for name, spec in record.fields.items():
        field = by_name.get(name)
        if field is None:
            wrong.append(f"{where}{name}: missing")
            continue
        if field["required"] != (bool(spec.required) and group_required):
            wrong.append(f"{where}{name}: required is {field['required']}")
        if isinstance(spec.kind, Record):
            wrong += fields_of(spec.kind, field["fields"], f"{where}{name}.", bool(spec.required))
        elif isinstance(spec.kind, ListOf) and isinstance(spec.kind.item, Record):
            wrong += fields_of(spec.kind.item, field["fields"], f"{where}{name}[].")
    wrong += [f"{where}{name}: not in the schema" for name in by_name.keys() - record.fields.keys() - {"body"}]
    return wrong


@pytest.mark.unit
def test_the_admin_offers_every_field_the_schema_declares_and_no_other():
    config = demo_config()
    wrong = fields_of(PROGRAMME, collection(config, "programmes")["fields"], "programme.")
    news = [c for c in config["collections"] if c["name"].startswith("news-")]
    assert news, "no news collection"
    for c in news:
        # slug names a new post's file in the admin, so the admin requires it (cms.py).
        required_slug = f"{c['name']}.slug: required is True"
        wrong += [w for w in fields_of(POST, c["fields"], f"{c['name']}.") if w != required_slug]
    libraries = {f["name"]: f for f in collection(config, "libraries")["files"]}
    for name, record in LIBRARIES.items():
        (listing,) = libraries[name]["fields"]
        assert listing["name"] == name and listing["widget"] == "list"
        wrong += fields_of(record, listing["fields"], f"{name}.")
    assert wrong == []


@pytest.mark.unit
def test_choices_come_from_the_institutions_settings_and_ids_show_names():
    from brochure.validate import load_settings

    settings = load_settings(ROOT / "mkdocs.yml")
    config = admin_config(settings, BACKEND)
    programme = {f["name"]: f for f in collection(config, "programmes")["fields"]}
    assert programme["type"]["widget"] == "select"
    assert programme["type"]["options"] == list(settings.programme_types)
    assert isinstance(PROGRAMME.fields["type"].kind, Choice)
    session = next(f for f in programme["modules"]["fields"] if f["name"] == "sessions")
    lecturers = next(f for f in session["fields"] if f["name"] == "lecturers")
    assert lecturers["widget"] == "relation" and lecturers["multiple"] is True
    assert lecturers["value_field"] == "lecturers.*.id"
    assert lecturers["display_fields"] == ["lecturers.*.name"]  # the editor picks 张文华, not zhang-wenhua
    post = {f["name"]: f for f in collection(config, f"news-{settings.build_date.year}")["fields"]}
    assert [f["name"] for f in post["credits"]["fields"]] == list(settings.credit_roles)
    assert post["programme"]["widget"] == "relation" and post["programme"]["collection"] == "programmes"
    assert config["locale"] == "zh_Hans"


@pytest.mark.unit
def test_a_library_written_under_its_name_is_read_like_a_list(project):
    """The admin writes `lecturers:` above the list; check reads both, and locates mistakes."""
    project.library(
        "lecturers", "lecturers:\n  - id: zhang-wenhua\n    name: 张文华\n  - id: li-mingde\n    name: 李明德\n"
    )  # noqa: E501
    assert project.problems() == []
    project.library("lecturers", "lecturers:\n  - id: zhang_wenhua\n    name: 张文华\n")
    (problem, *_) = project.problems()
    assert (problem.line, problem.path) == (2, "lecturers[0].id")


def newest(page, name: str):
    """The field of that name that the form made last (a session just added)."""
    ids = page.eval_on_selector_all(f"[id^='{name}-field-']", "els => els.map(e => e.id)")
    return page.locator(f"[id='{max(ids, key=lambda i: int(i.rsplit('-', 1)[1]))}']")


def field(page, name: str):
    """A form field by its schema name: Decap numbers its ids (title-field-1) in form order."""
    return page.locator(f"[id^='{name}-field-']").first


@pytest.mark.browser
def test_an_editor_writes_a_post_with_two_photos_in_the_admin_and_it_passes_check(demo_copy, browser, tmp_path):
    from test_serve import Preview, fetch_any, wait_for

    from conftest import free_port, png

    root = demo_copy.root
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("pdf: true", "pdf: false")
    config.write_text(text.replace("zh_hant: true", "zh_hant: false"), encoding="utf-8")
    photo = tmp_path / "zuotan.png"
    photo.write_bytes(png(800, 600))
    second = tmp_path / "fenzu.png"
    second.write_bytes(png(600, 800))
    port = free_port()
    preview = Preview(root, ["brochure", "serve"], port, tmp_path / "preview")
    year = demo_copy.settings.build_date.year
    try:
        preview.wait_for_build(1)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        hosts: set[str] = set()
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
        page.goto(f"http://127.0.0.1:{port}/admin/")
        page.click("text=登录")  # the local backend needs no account
        page.wait_for_selector(f"text=新闻稿（{year}年）")
        page.goto(f"http://127.0.0.1:{port}/admin/#/collections/news-{year}/new")
        field(page, "title").fill("社区治理培训班学员赴基层调研")
        field(page, "date").fill(f"{year}-11-20T10:00")
        field(page, "category").click()
        page.click("text=培训动态")
        field(page, "programme").fill("社区治理")  # a relation: the editor picks by title
        page.wait_for_selector("text=2027年全省城市社区治理能力提升培训班")
        page.keyboard.press("Enter")
        field(page, "source").fill("岱岳大学公共管理学院干部教育培训中心")
        field(page, "slug").fill("shequ-zhili-diaoyan")
        credits = {"供稿": "李晓彤", "供图": "王晨阳、刘洋", "编辑": "赵敏", "初审": "孙立新", "复审": "周海燕"}
        for role, name in credits.items():
            field(page, role).fill(name)
        field(page, "alt").fill("学员在社区服务中心座谈")
        page.click("text=选择图片")
        page.set_input_files("input[type=file]", [str(photo)])  # 上传
        page.click("text=选用已选中项目")
        page.click("text=新增图片报道")  # the photo series after the body
        newest(page, "caption").fill("学员分组讨论")
        page.click("text=选择图片")  # the cover's button now says 选择其他图片
        page.set_input_files("input[type=file]", [str(second)])
        page.click("text=选用已选中项目")
        field(page, "draft").click()  # waiting for 审核发布: a draft
        page.click(".cms-editor-raw [contenteditable]")
        page.keyboard.type("11月20日，学员们来到社区服务中心调研。")
        page.click("text=发布")
        page.click("text=立即发布")
        post = root / f"docs/news/{year}/11-20-shequ-zhili-diaoyan.md"
        for _ in range(100):
            if post.exists():
                break
            page.wait_for_timeout(100)
        # The preview rebuilds on the save, and shows the draft with its banner.
        url = f"http://127.0.0.1:{port}/news/{year}/11-20-shequ-zhili-diaoyan/"
        assert wait_for(url, "preview-banner"), fetch_any(url)[:3000]
        page.goto(url)
        assert page.locator(".preview-banner").is_visible()
        assert "社区治理培训班学员赴基层调研" in page.inner_text("h1")
        assert page.locator("figure.post-figure figcaption", has_text="学员分组讨论").is_visible()
        page.close()
        backend = preview_backend_port(preview)
    finally:
        preview.stop()
    assert gone(backend), "decap-server outlived the preview"
    assert (root / f"docs/news/{year}/zuotan.png").read_bytes() == photo.read_bytes()  # beside the post
    written = post.read_text(encoding="utf-8")
    assert "programme: 2027-shequ-zhili-nengli-tisheng-peixunban" in written
    assert "供图: 王晨阳、刘洋" in written and "draft: true" in written
    assert (root / f"docs/news/{year}/fenzu.png").read_bytes() == second.read_bytes()
    assert "image: zuotan.png" in written
    assert "image: fenzu.png" in written and "caption: 学员分组讨论" in written
    assert hosts == {f"127.0.0.1:{port}", f"127.0.0.1:{backend}"}, hosts  # nothing from another host
    checked = demo_copy.brochure("check")
    assert checked.returncode == 0, checked.stderr
    assert "草稿：1 篇新闻稿" in checked.stdout


def preview_backend_port(preview) -> int:
    """decap-server's port, from the admin's configuration the preview wrote."""
    import re

    config = (preview.folder() / "admin/config.yml").read_text(encoding="utf-8")
    return int(re.search(r"proxy_url: http://127\.0\.0\.1:(\d+)/", config).group(1))


def gone(port: int, seconds: float = 10) -> bool:
    """Whether nothing listens on the port any more (within a few seconds)."""
    import socket
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.2)
    return False


def front_and_body(path) -> tuple[dict, str]:
    import yaml

    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        _, front, body = text.split("---\n", 2)
        return yaml.safe_load(front), body
    return yaml.safe_load(text), ""


@pytest.mark.browser
def test_every_demo_file_saved_in_the_admin_keeps_all_it_said(demo_copy, browser, tmp_path):
    """Each programme and post opened in the admin, its title edited, and saved: the file then
    says what it said before, with the new title, and nothing else changed (comments aside,
    which the admin does not keep). A lecturer added in the admin passes check too."""
    from test_serve import Preview, wait_for

    from conftest import free_port

    root = demo_copy.root
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("pdf: true", "pdf: false")
    config.write_text(text.replace("zh_hant: true", "zh_hant: false"), encoding="utf-8")
    files = [(f"programmes/entries/{p.stem}", p) for p in sorted((root / "programmes").glob("*.yml"))]
    for year in sorted((root / "docs/news").glob("[0-9][0-9][0-9][0-9]")):
        files += [(f"news-{year.name}/entries/{p.stem}", p) for p in sorted(year.glob("*.md"))]
    assert len(files) == 18
    port = free_port()
    preview = Preview(root, ["brochure", "serve"], port, tmp_path / "preview")
    changed = []
    try:
        preview.wait_for_build(1)
        admin = f"http://127.0.0.1:{port}/admin/"
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(admin)
        page.click("text=登录")
        page.wait_for_selector("text=班次")
        for address, path in files:
            before, text = front_and_body(path), path.read_text(encoding="utf-8")
            page.close()  # a fresh page: Decap keeps the open entry when only the address changes
            page = context.new_page()
            page.goto(admin + "#/collections/" + address)
            page.wait_for_function(
                "t => { const e = document.querySelector(\"[id^='title-field-']\"); return e && e.value === t }",
                arg=before[0]["title"],
            )
            field(page, "title").press("End")
            field(page, "title").type("（修订）")
            publish(page, path, text)
            after = front_and_body(path)
            after[0]["title"] = after[0]["title"].removesuffix("（修订）")
            if after != before:
                changed.append(path.name)
        page.close()
        page = context.new_page()
        page.goto(admin + "#/collections/libraries/entries/lecturers")
        page.click("text=新增讲师")
        page.locator("[id^='id-field-']").last.fill("qian-shuwen")
        page.locator("[id^='name-field-']").last.fill("钱淑雯")
        library = root / "programmes/libraries/lecturers.yml"
        publish(page, library, library.read_text(encoding="utf-8"))
        # …and a session she teaches, added to a programme's first module.
        page.close()
        page = context.new_page()
        slug = "2027-shequ-zhili-nengli-tisheng-peixunban"
        page.goto(admin + f"#/collections/programmes/entries/{slug}")
        module = page.locator("[class*=SortableListItem]", has_text="模块一：党建引领与党性教育").first
        module.locator("[class*=TopBar] button").first.click()  # unfold the module
        module.locator("button:has-text('新增本模块的课程')").first.click()
        newest(page, "title").fill("党史中的基层治理")
        newest(page, "lecturers").fill("钱淑雯")  # chosen by name
        page.locator("[class*=option]", has_text="钱淑雯").first.click()
        newest(page, "format").fill("专题讲座")
        page.keyboard.press("Enter")
        programme = root / f"programmes/{slug}.yml"
        publish(page, programme, programme.read_text(encoding="utf-8"))
        url = f"http://127.0.0.1:{port}/programmes/{slug}/"
        assert wait_for(url, "党史中的基层治理"), "the preview did not show the new session"
        page.goto(url)
        page.click("a:has-text('钱淑雯')")  # the session links to her page, which the build made
        assert "钱淑雯" in page.inner_text("h1")
        context.close()
    finally:
        preview.stop()
    assert changed == []
    lecturers = front_and_body(library)[0]["lecturers"]
    assert lecturers[-1] == {"id": "qian-shuwen", "name": "钱淑雯"} and len(lecturers) == 17
    checked = demo_copy.brochure("check")
    assert checked.returncode == 0, checked.stderr
    assert "17 位讲师" in checked.stdout
    session = front_and_body(programme)[0]["modules"][0]["sessions"][-1]
    assert session == {"title": "党史中的基层治理", "lecturers": ["qian-shuwen"], "format": "专题讲座"}


def publish(page, path, text: str) -> None:
    """Press 发布 → 立即发布 and wait until the file on disk has changed."""
    page.locator("span[role=button]:text-is('发布')").click()
    page.click("text=立即发布")
    seen = text
    for _ in range(100):
        page.wait_for_timeout(100)
        now = path.read_text(encoding="utf-8")
        if now != text and now == seen:
            return  # changed, and no longer being written (decap-server writes in place)
        seen = now
    raise AssertionError(f"the admin did not save {path.name}")


# --- the admin on a published site (the `admin` option) ---------------------------------

GIT_SERVER = "https://git.daiyue.edu.cn"


def with_admin_option(project, lines: str) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - brochure:\n" in text
    config.write_text(text.replace("  - brochure:\n", "  - brochure:\n" + lines, 1), encoding="utf-8")


@pytest.mark.browser
def test_a_built_site_with_the_admin_option_sends_editors_to_sign_in_on_the_git_server(project, browser, tmp_path):

    import yaml

    with_admin_option(
        project,
        f"      admin:\n        backend: forgejo\n        url: {GIT_SERVER}/\n"
        "        repo: peixun/site\n        app_id: 0c7e5d2a-editor-app\n",
    )
    out = tmp_path / "out"
    result = project.brochure("build", "--strict", "-d", str(out))
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((out / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {
        "name": "forgejo",
        "repo": "peixun/site",
        "branch": "main",
        "app_id": "0c7e5d2a-editor-app",
        "base_url": GIT_SERVER,
        "api_root": f"{GIT_SERVER}/api/v1",
    }
    assert (out / "admin/decap-cms.js").stat().st_size > 1_000_000

    server, address = static_server(out)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    sign_in: list[str] = []

    def git_server(route):
        sign_in.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<p>Forgejo</p>")

    page.route(f"{GIT_SERVER}/**", git_server)
    hosts: set[str] = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    try:
        page.goto(f"{address}admin/")
        # Decap shows its sign-in button only for a configuration it accepted. Its Chinese
        # strings have none for Forgejo's button (3.16.3): it reads "Login with Forgejo".
        page.click("text=Forgejo", timeout=20000)
        page.wait_for_timeout(1000)
    finally:
        page.close()
        server.shutdown()
    assert sign_in, "the sign-in button led nowhere"
    authorize = sign_in[0]
    assert authorize.startswith(f"{GIT_SERVER}/login/oauth/authorize?"), authorize
    assert "client_id=0c7e5d2a-editor-app" in authorize and "code_challenge_method=S256" in authorize
    assert hosts == {f"127.0.0.1:{server.server_port}", "git.daiyue.edu.cn"}, hosts  # no CDN


@pytest.mark.site
def test_without_the_admin_option_a_built_site_has_no_admin(project, tmp_path):
    out = tmp_path / "out"
    result = project.brochure("build", "-d", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").exists() and not (out / "admin").exists()


@pytest.mark.unit
def test_an_admin_option_naming_an_unknown_git_server_is_a_located_problem(project):
    from brochure.problems import ContentError

    with_admin_option(project, "      admin:\n        backend: github\n        url: https://github.com/\n")
    line = project.root.joinpath("mkdocs.yml").read_text(encoding="utf-8").splitlines().index("        backend: github")
    with pytest.raises(ContentError) as raised:
        project.settings  # noqa: B018 (reading it checks mkdocs.yml)
    report = raised.value.problems.report()
    assert f"mkdocs.yml:{line + 1}:" in report and "forgejo" in report, report
    assert "repo" in report and "app_id" in report, report  # the required parts left out
