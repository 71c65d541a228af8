"""The documented template context is the one the generator passes."""

from __future__ import annotations

import re
from dataclasses import fields

from gongshi.site.context import PAGES, SiteContext

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
