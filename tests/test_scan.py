"""gongshi scan on any CSV or XLSX, and the pre-commit hook that stops a leak before it is committed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook

from gongshi.cli import main

from conftest import DEMO

ID = "11010519491231002X"


def scan(*args: str):
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json"])
    return result.exit_code, [(p["code"], p["row"], p["field"]) for p in json.loads(result.output or "[]")]


def test_demo_data_has_no_personal_data():
    assert scan(str(DEMO)) == (0, [])


def test_any_csv_is_scanned_by_its_headers(tmp_path):
    sheet = tmp_path / "名单.csv"
    sheet.write_text(f"户主姓名,电话,备注\n张三,13812345678,\n李*,,卡号6222021234567890128\n王*华,,身份证{ID}\n",
                     encoding="gb18030")
    assert scan(str(sheet)) == (1, [("unmasked-name", 2, "户主姓名"), ("phone-number-published", 2, "电话"),
                                    ("bank-account-published", 3, "备注"), ("id-number-published", 4, "备注")])


def test_a_real_workbook_is_scanned_sheet_by_sheet(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "受益户"
    sheet.append(["户主", "联系电话", "说明"])
    sheet.append(["赵*", 13912345678, "无"])          # a phone typed into a number cell
    sheet.append(["钱*明", None, f"身份证 {ID[:6]} {ID[6:14]} {ID[14:]}"])
    workbook.create_sheet("说明").append(["本表不含个人信息"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    code, found = scan(str(path))
    assert code == 1 and found == [("phone-number-published", 2, "联系电话"), ("id-number-published", 3, "说明")]
    result = CliRunner().invoke(main, ["scan", str(path), "--format", "json"])
    assert {p["path"] for p in json.loads(result.output)} == {f"{path}#受益户"}


def test_a_damaged_workbook_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    assert scan(str(path)) == (1, [("file-unreadable", None, None)])


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=clerk", "-c", "user.email=clerk@example.org", *args], cwd=repo,
                          capture_output=True, text=True)


def test_pre_commit_hook_stops_a_leak(tmp_path):
    repo = tmp_path / "county"
    repo.mkdir()
    assert git(repo, "init", "-q").returncode == 0
    assert CliRunner().invoke(main, ["install-hook", "--repo", str(repo)]).exit_code == 0
    table = repo / "acceptances.csv"
    table.write_text(f"project_id,stage,accepted_on,result,inspectors,notes\nXM-1,village,2025-09-05,passed,王建国,{ID}\n",
                     encoding="utf-8")
    git(repo, "add", "acceptances.csv")
    refused = git(repo, "commit", "-q", "-m", "acceptances")
    assert refused.returncode != 0
    assert "id-number-published" in refused.stdout + refused.stderr
    assert git(repo, "log", "--oneline").stdout == ""  # nothing was committed
    table.write_text("project_id,stage,accepted_on,result,inspectors,notes\nXM-1,village,2025-09-05,passed,王建国,\n",
                     encoding="utf-8")
    git(repo, "add", "acceptances.csv")
    assert git(repo, "commit", "-q", "-m", "acceptances").returncode == 0


def test_hook_does_not_replace_another_hook_unless_forced(tmp_path):
    repo = tmp_path / "county"
    repo.mkdir()
    git(repo, "init", "-q")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n")
    assert CliRunner().invoke(main, ["install-hook", "--repo", str(repo)]).exit_code == 2
    assert "echo mine" in hook.read_text()
    assert CliRunner().invoke(main, ["install-hook", "--repo", str(repo), "--force"]).exit_code == 0
    assert "gongshi scan --staged" in hook.read_text()
