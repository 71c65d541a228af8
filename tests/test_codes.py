"""Every problem code is declared once (plugins/gongshi/codes.py); README and the clerk guide agree with it."""

from __future__ import annotations

import re

import pytest

from gongshi.codes import CODES, in_readme
from gongshi.problems import error

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "content" / "pages" / "clerk-guide.md").read_text(encoding="utf-8")
CODE = re.compile(r"`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`")


def section(text: str, heading: str) -> str:
    return text.split(heading, 1)[1].split("\n#", 1)[0]


def test_readmes_table_of_codes_is_made_from_the_registry():
    assert in_readme(README) == README, "run: invoke codes"


def test_the_tables_that_explain_codes_name_only_declared_ones():
    repairs = section(README, "### What gongshi repairs, and what it refuses")
    checks = section(README, "### The checks").split("<!-- codes")[0]
    guide = section(GUIDE, "### 检查项目一览")
    for text in (repairs, checks, guide):
        named = {c for line in text.splitlines() if line.startswith("|") for c in CODE.findall(line)}
        assert named and named <= set(CODES), sorted(named - set(CODES))


def test_the_checks_table_gives_each_code_its_declared_severity():
    checks = section(README, "### The checks").split("<!-- codes")[0]
    for line in checks.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 3 and cells[1] in ("error", "warning"):
            for code in CODE.findall(cells[0]):
                assert CODES[code].severity == cells[1], code


def test_the_clerk_guide_explains_every_code():
    guide = set(CODE.findall(section(GUIDE, "### 检查项目一览") + section(GUIDE, "### 自动修复")))
    assert set(CODES) <= guide, sorted(set(CODES) - guide)


def test_a_code_that_was_never_declared_is_a_bug():
    with pytest.raises(KeyError):
        error("no-such-code", "x.csv", 2, None, "中文", "English")
