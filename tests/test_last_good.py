"""Nothing lost: a rejected submission leaves the county's last good published version on the site."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup
from click.testing import CliRunner

from gongshi.cli import main

from conftest import DEMO, GOOD, ROOT, build_site, package_with_defect


def git(repo: Path, *args: str, when: str = "2026-11-20T09:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-c", "user.name=clerk", "-c", "user.email=clerk@example.org", *args], cwd=repo, env=env,
                   check=True, capture_output=True)


def amount(folder: Path, allocation: str) -> str:
    rows = csv.DictReader(io.StringIO((folder / "allocations.csv").read_text(encoding="utf-8")))
    return next(r["amount"] for r in rows if r["allocation_id"] == allocation)


def test_rejected_submission_keeps_the_last_good_version(tmp_path):
    repo = tmp_path / "site"
    shutil.copytree(DEMO, repo / "data" / "519901")
    shutil.copytree(ROOT / "history" / "519901", repo / "history" / "519901")
    package_with_defect("negative-amount", repo / "data" / "519902")  # another county, broken from the start
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "519901: good version")

    good_amount = amount(repo / "data" / "519901", "ZJ2025-001")
    allocations = repo / "data" / "519901" / "allocations.csv"
    allocations.write_text(allocations.read_text(encoding="utf-8").replace(f",{good_amount},", ",-1.00,", 1),
                           encoding="utf-8")
    git(repo, "commit", "-q", "-am", "519901: a bad submission", when="2026-11-21T10:00:00")

    out = tmp_path / "out"
    result = build_site(repo / "data", out, allow_unsigned=False, history_path=str(repo / "history"))
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert "latest submission rejected" in log and "version 2" in log

    county = BeautifulSoup((out / "519901" / "index.html").read_text(encoding="utf-8"), "html.parser")
    notice = county.select_one(".rejected").get_text(" ", strip=True)
    assert "2026年11月21日" in notice and "未通过检查" in notice and "第2版" in notice
    # Every page of the county still stands, showing the last good amounts.
    page = BeautifulSoup((out / "519901" / "allocation" / "ZJ2025-001" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    assert page.select_one(".rejected") and f"{float(good_amount):,.2f} 元" in page.get_text()
    for project in (DEMO / "projects.csv").read_text(encoding="utf-8").splitlines()[1:6]:
        assert (out / "519901" / "project" / project.split(",")[0] / "index.html").is_file()

    report = BeautifulSoup((out / "519901" / "report" / "index.html").read_text(encoding="utf-8"), "html.parser")
    reported = {(tr.select("td")[1].get_text(strip=True), tr.select("td")[2].get_text(strip=True))
                for tr in report.select("table.report tbody tr")}
    assert {("constraint-error", "allocations.csv"), ("hash-mismatch", "allocations.csv")} <= reported
    assert str(tmp_path) not in (out / "519901" / "report" / "index.html").read_text(encoding="utf-8")

    # The downloads are the last good version's, and they verify.
    bundle = out / "519901" / "data" / "gongshi-519901.zip"
    assert CliRunner().invoke(main, ["verify", str(bundle)]).exit_code == 0
    assert (out / "519901" / "data" / "datapackage.json").read_bytes() == \
        (repo / "history" / "519901" / "2" / "datapackage.json").read_bytes()
    # A county that never had a good version is reported, not published; the other is untouched by it.
    assert not (out / "519902").exists()
    assert "演示县" in (out / "index.html").read_text(encoding="utf-8")


def test_a_good_submission_shows_no_notice(demo_site):
    assert 'class="rejected"' not in (demo_site / "519901" / "index.html").read_text(encoding="utf-8")
    assert not (demo_site / "519901" / "report").exists()


def test_a_county_without_history_is_not_published_when_rejected(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GOOD, data / "519902")
    (data / "519902" / "regions.csv").write_text("nothing useful\n", encoding="utf-8")
    result = build_site(data, tmp_path / "out", allow_unsigned=True)
    assert result.returncode == 0 and not (tmp_path / "out" / "519902").exists()
    assert "519902 not published" in result.stdout + result.stderr
