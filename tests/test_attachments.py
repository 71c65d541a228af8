"""A notice's attachments (附件): checked for personal data like every table, published beside the notice, and
signed with the package."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from test_signing import fingerprint, keyring, line, make_trust, verify_codes  # noqa: F401 - the fixture
from test_sources import build
from test_unstated import edit, page, problems

from gongshi.trust.history import release, verify_history
from gongshi.trust.sign import sign_package
from gongshi.trust.verify import load_trust

from conftest import GOOD


@pytest.fixture
def county(tmp_path) -> Path:
    return shutil.copytree(GOOD, tmp_path / "data" / "519902")


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def attach(folder: Path, name: str, data: bytes, notice: str = "GS-1") -> None:
    (folder / "attachments").mkdir(exist_ok=True)
    (folder / "attachments" / name).write_bytes(data)
    edit(folder, "notices", notice, attachments=f"attachments/{name}")


HOUSEHOLDS = [["序号", "户主姓名", "所在村", "补助金额"], [1, "王*明", "一村", 3000], [2, "李*", "一村", 3000]]


def test_an_attachment_is_published_beside_its_notice(county, tmp_path):
    attach(county, "到户补助名单.xlsx", workbook(HOUSEHOLDS))
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build(tmp_path)
    published = site / "519902/notice/GS-1/到户补助名单.xlsx"
    assert published.read_bytes() == (county / "attachments/到户补助名单.xlsx").read_bytes()
    soup = BeautifulSoup((site / "519902/notice/GS-1/index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in soup.select("section.attachments a[download]")]
    assert len(links) == 1 and links[0].endswith("519902/notice/GS-1/到户补助名单.xlsx"), links
    assert "附件：到户补助名单.xlsx" in page(site, "519902/notice/GS-1/print")


@pytest.mark.parametrize(("cell", "code"), [("11010519491231002X", "id-number-published"),
                                            ("13912345678", "phone-number-published"),
                                            ("王小明", "unmasked-name")])
def test_an_attachment_with_personal_data_is_refused(county, cell, code):
    rows = [row[:] for row in HOUSEHOLDS]
    rows[1][1 if code == "unmasked-name" else 2] = cell
    attach(county, "名单.xlsx", workbook(rows))
    refused = [p for p in problems(county) if p["severity"] == "error"]
    assert [p["code"] for p in refused] == [code], refused
    assert refused[0]["path"].endswith("attachments/名单.xlsx#Sheet")
    assert cell not in refused[0]["message"]


def test_a_pdf_attachment_is_read_for_personal_numbers(county, tmp_path):
    from weasyprint import HTML

    pdf = HTML(string='<html lang="zh-CN"><body><p>联系人手机 13912345678</p></body></html>').write_pdf()
    attach(county, "说明.pdf", pdf)
    assert [p["code"] for p in problems(county) if p["severity"] == "error"] == ["phone-number-published"]
    clean = HTML(string='<html lang="zh-CN"><body><p>监督电话 0838-5300001</p></body></html>').write_pdf()
    attach(county, "说明.pdf", clean)
    assert not [p for p in problems(county) if p["severity"] == "error"]


@pytest.mark.parametrize(("name", "code"), [("../units.csv", "constraint-error"), ("units.csv", "constraint-error"),
                                            ("attachments/../units.csv", "unsafe-path"),
                                            ("attachments/通知.docx", "attachment-unsupported"),
                                            ("attachments/没有这个文件.xlsx", "file-missing")])
def test_an_attachment_that_cannot_be_published_safely_is_refused(county, name, code):
    (county / "attachments").mkdir()
    (county / "attachments/通知.docx").write_bytes(b"PK\x03\x04")
    edit(county, "notices", "GS-1", attachments=name)
    refused = [p for p in problems(county) if p["severity"] == "error"]
    assert [(p["code"], p["row"], p["field"]) for p in refused] == [(code, 2, "attachments")], refused


def test_attachments_are_signed_with_the_package(county, keyring, tmp_path):  # noqa: F811 - the fixture
    attach(county, "名单.xlsx", workbook(HOUSEHOLDS))
    sign_package(county, keyring["c519902"])
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"])])
    province = fingerprint(keyring["province"])
    assert verify_codes(county, trust, province) == []
    (county / "attachments/名单.xlsx").write_bytes(workbook(HOUSEHOLDS + [[3, "张*", "一村", 1]]))
    assert verify_codes(county, trust, province) == [("hash-mismatch", "名单.xlsx")]
    sign_package(county, keyring["c519902"])
    (county / "attachments/后来放的.csv").write_text("序号\n1\n", encoding="utf-8")
    assert ("hash-missing", "datapackage.json") in verify_codes(county, trust, province)


def test_a_released_version_keeps_its_attachments(county, keyring, tmp_path):  # noqa: F811 - the fixture
    attach(county, "名单.xlsx", workbook(HOUSEHOLDS))
    sign_package(county, keyring["c519902"])
    history = tmp_path / "history"
    release(county, history, "519902", keyring["c519902"])
    archived = history / "519902" / "1" / "attachments" / "名单.xlsx"
    assert archived.read_bytes() == (county / "attachments/名单.xlsx").read_bytes()
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"])])
    loaded, refused = load_trust(trust, fingerprint(keyring["province"]))
    assert refused == []
    found = verify_history(history, "519902", loaded, (county / "datapackage.json").read_bytes())
    assert found == [], found


def test_an_attachments_name_is_escaped(county, tmp_path):
    name = '<img src=x onerror="alert(1)">名单.xlsx'
    attach(county, name, workbook(HOUSEHOLDS))
    assert not [p for p in problems(county) if p["severity"] == "error"]
    site = build(tmp_path)
    for url in ("519902/notice/GS-1", "519902/notice/GS-1/print"):
        html = (site / url / "index.html").read_text(encoding="utf-8")
        assert "<img src=x" not in html and "&lt;img src=x" in html, url
