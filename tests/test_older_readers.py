"""适老化: large text without loss, a visible keyboard focus, and the site usable from the keyboard."""

from __future__ import annotations

import pytest
from test_lighthouse import page_of_type

pytestmark = pytest.mark.browser

PAGES = ["home", "programme index", "programme", "news post"]


@pytest.mark.parametrize("kind", PAGES)
def test_text_zoomed_to_200_percent_loses_nothing(browser, served, kind):
    path = page_of_type(served, kind)
    # 200 % zoom on a 640 px wide window is the same layout as 320 CSS px (WCAG 1.4.10 reflow).
    page = browser.new_page(viewport={"width": 320, "height": 800}, device_scale_factor=2)
    page.goto(served + path)
    overflow = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            // Tables scroll inside their own wrapper by design; nothing else may stick out.
            const text = '.md-content p, .md-content li, .md-content dd, .md-content h1, .md-content h2';
            return [...document.querySelectorAll(text)]
              .filter(el => !el.closest('.md-typeset__scrollwrap'))
              .filter(el => el.getBoundingClientRect().right > width + 1)
              .map(el => el.textContent.slice(0, 40));
        }"""
    )
    assert overflow == []
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.documentElement.clientWidth + 1")
    page.close()


def test_keyboard_reaches_a_programme_and_focus_is_visible(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + "programmes/")
    target = page_of_type(served, "programme").strip("/").rsplit("/", 1)[-1]
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {href: el.getAttribute('href') || '', outline: style.outlineStyle, width: style.outlineWidth};
            }"""
        )
        assert focused["outline"] != "none" and focused["width"] != "0px", focused  # focus is visible
        if target in focused["href"]:
            break
    else:
        pytest.fail("the programme link was never reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{target}/")
    assert page.locator("h1").inner_text().strip()  # the programme's page, with its title
    page.close()


def test_programme_filter_works_from_the_keyboard(browser, served):
    page = browser.new_page()
    page.goto(served + "programmes/")
    select = page.locator("select[name=year]")
    select.focus()
    page.keyboard.press("ArrowDown")  # the first year after 全部
    visible = page.locator(".programme-card:visible").count()
    assert 0 < visible < page.locator(".programme-card").count()
    page.close()
