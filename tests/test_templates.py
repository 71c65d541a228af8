"""The documented template context is the one the generator passes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields
from decimal import Decimal

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from gongshi.site.context import PAGES, SiteContext
from gongshi.site.jinja import escape

from conftest import ROOT

# The names each page template receives, from its record.
PAGE_CONTEXT = {page.template: tuple(f.name for f in fields(page)) for page in PAGES}
SITE_CONTEXT = tuple(f.name for f in fields(SiteContext))

DOC = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return DOC.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_every_page_names_are_documented():
    documented = re.findall(r"^\| `(\w+)` \|", section("Every page"), flags=re.M)
    assert documented == list(SITE_CONTEXT)


def test_page_template_names_are_documented():
    rows = re.findall(r"^\| `(\w+)\.html` \| (.*) \|$", section("Page templates"), flags=re.M)
    # Types and remarks stand in parentheses after a name; the names are what is left in backticks.
    documented = {name: tuple(re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", names))) for name, names in rows}
    assert documented == PAGE_CONTEXT


def test_every_page_template_exists():
    for name in PAGE_CONTEXT:
        assert (ROOT / "theme" / "templates" / f"{name}.html").is_file()


class Page:
    """An object that is markup, as a macro's or a filter's result is."""

    def __html__(self):
        return "<b>safe</b>"


class Number(int):
    def __str__(self):
        return "<n>"


VALUES = ["", "plain 文本", "<script>alert('x')</script> & \"q\"", Markup("<i>kept</i>"), Markup("a &amp; b"), 0, 12317,
          -5, 10**30, True, False, None, 1.5, float("nan"), Page(), Number(7), Decimal("1.10"), ["<x>"], ("a", "&"),
          dt.date(2026, 1, 2), type("S", (str,), {})("<sub>")]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:30] for v in VALUES])
def test_the_fast_escape_gives_what_markupsafe_gives(value):
    ours, theirs = escape(value), markupsafe.escape(value)
    assert type(ours) is Markup and ours == theirs


def test_templates_escape_with_it_and_escape_everything():
    """The build's templates use the faster escape, and a value still comes out escaped (tests/test_build.py checks
    every data value of a real build)."""
    from gongshi.site.jinja import FastEscapeTemplate, prepare_environment

    class Generator:
        env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ a }}|{{ b }}|{{ c }}|{{ d }}"}))
        settings = {"GONGSHI": None, "PATH": str(ROOT / "content")}

    generator = Generator()
    prepare_environment(generator)
    template = generator.env.get_template("t")
    assert isinstance(template, FastEscapeTemplate)
    assert template.render(a="<a href='x'>&", b=Markup("<br>"), c=3, d=None) == "&lt;a href=&#39;x&#39;&gt;&amp;|<br>|3|None"
