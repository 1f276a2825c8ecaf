"""A committed copy of what `brochure generate` makes of the demo, compared in seconds.

A change to a template, the model or the demo's content shows up here as a readable diff of
Markdown, for a reviewer to read before it reaches a built site. To accept a change on purpose:

    rm -rf tests/golden/generate
    SOURCE_DATE_EPOCH=1795305600 .venv/bin/brochure generate -o tests/golden/generate

(the epoch is conftest.BUILD_DATE_EPOCH, which fixes the status badges' "today").
"""

from __future__ import annotations

import difflib

from conftest import BUILD_DATE_EPOCH, ROOT, run_brochure

GOLDEN = ROOT / "tests/golden/generate"


def tree(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file()}


def test_generate_gives_the_committed_copy(tmp_path):
    assert BUILD_DATE_EPOCH in __doc__  # the update command above must stay right
    result = run_brochure(ROOT, "generate", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    made, golden = tree(tmp_path / "out"), tree(GOLDEN)
    assert sorted(made) == sorted(golden), "pages added or gone: see this module's docstring to update"
    changed = [name for name in sorted(made) if made[name] != golden[name]]
    diff = "".join(
        "".join(difflib.unified_diff(golden[n].splitlines(True), made[n].splitlines(True), n, n)) for n in changed[:3]
    )
    assert not changed, f"{len(changed)} pages differ from tests/golden/generate:\n{diff}"
