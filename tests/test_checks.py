"""Every check, one fixture per defect: the exact (code, file, row, field) it reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongshi.county import check_county
from gongshi.settings import Settings

from conftest import DEMO, GOOD, package_with_defect

DEFECT_CASES = {
    "amount-not-a-number": [("type-error", "allocations.csv", 2, "amount")],
    "negative-amount": [("constraint-error", "allocations.csv", 3, "amount")],
    "unknown-fund-source": [("constraint-error", "allocations.csv", 2, "fund_source")],
    "missing-project-name": [("constraint-error", "projects.csv", 2, "name")],
    "duplicate-project-id": [
        ("foreign-key-error", "project_funds.csv", 3, "project_id"),
        ("foreign-key-error", "project_funds.csv", 4, "project_id"),
        ("primary-key-error", "projects.csv", 3, "project_id"),
        ("project-overfunded", "projects.csv", 3, "budget"),
    ],
    "unknown-allocator-unit": [("foreign-key-error", "allocations.csv", 2, "allocator_unit_id")],
    "allocation-overspent": [
        ("allocation-overspent", "allocations.csv", 3, "amount"),
        ("project-overfunded", "projects.csv", 3, "budget"),
    ],
    "project-underfunded": [("project-underfunded", "projects.csv", 3, "budget")],
    # 80000.000 is to the fen; 10000.005 and 49999.995 are not, though they add up to the budget.
    "amount-fraction-of-fen": [("amount-fraction-of-fen", "project_funds.csv", 3, "amount"),
                               ("amount-fraction-of-fen", "project_funds.csv", 4, "amount")],
    "notice-period-too-short": [("notice-period-too-short", "notices.csv", 2, "end_date")],
    "project-ends-before-start": [("date-order", "projects.csv", 3, "end_date")],
    "acceptance-before-start": [("date-order", "acceptances.csv", 2, "accepted_on")],
    "region-outside-county": [
        ("foreign-key-error", "allocations.csv", 3, "recipient_region_code"),
        ("foreign-key-error", "projects.csv", 3, "region_code"),
        ("region-outside-county", "regions.csv", 5, "code"),
        ("foreign-key-error", "units.csv", 5, "region_code"),
    ],
    "village-parent-missing": [("region-parent-missing", "regions.csv", 4, "parent_code")],
    "id-number-in-notes": [("id-number-published", "acceptances.csv", 2, "notes")],
    "mobile-in-responsible-person": [("phone-number-published", "projects.csv", 2, "responsible_person")],
    "bank-account-in-purpose": [("bank-account-published", "allocations.csv", 3, "purpose")],
    "header-typo": [("incorrect-label", "projects.csv", 1, "name")],
    "extra-cell": [("extra-cell", "units.csv", 3, None)],
    "invalid-json": [("package-invalid-json", "datapackage.json", 3, None)],
    "resource-path-outside": [("unsafe-path", "datapackage.json", None, "units")],
    "unmasked-beneficiary-name": [("unmasked-name", "beneficiaries.csv", 3, "household")],
    # A unit's office phone is public even when it is a mobile number.
    "office-phone-is-public": [],
}

SETTINGS = Settings()


def found(folder: Path) -> list[tuple]:
    return [(p.code, Path(p.path).name, p.row, p.field) for p in check_county(folder, SETTINGS).problems]


def test_good_package_has_no_problems():
    assert found(GOOD) == []


def test_demo_package_is_clean():
    result = check_county(DEMO, SETTINGS)
    assert result.errors == [], [p.message_en for p in result.errors]
    assert result.publishable


def test_every_defect_fixture_is_listed():
    from conftest import DEFECTS

    assert sorted(p.name for p in DEFECTS.iterdir()) == sorted(DEFECT_CASES)


@pytest.mark.parametrize("defect", sorted(DEFECT_CASES))
def test_defect_reports_exactly(defect, tmp_path):
    folder = package_with_defect(defect, tmp_path / "pkg")
    assert sorted(found(folder), key=str) == sorted(DEFECT_CASES[defect], key=str)


@pytest.mark.parametrize("defect", sorted(DEFECT_CASES))
def test_every_message_is_chinese_and_english(defect, tmp_path):
    folder = package_with_defect(defect, tmp_path / "pkg")
    for problem in check_county(folder, SETTINGS).problems:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.message), problem
        assert problem.message_en.isascii() or "“" not in problem.message_en, problem
        assert problem.message_en and problem.message != problem.message_en


def test_privacy_messages_never_repeat_the_number(tmp_path):
    folder = package_with_defect("id-number-in-notes", tmp_path / "pkg")
    for problem in check_county(folder, SETTINGS).problems:
        text = problem.message + problem.message_en
        assert "1949" not in text and "１９４９" not in text


def test_notice_minimum_is_a_setting(tmp_path):
    folder = package_with_defect("notice-period-too-short", tmp_path / "pkg")
    relaxed = Settings(min_notice_days=7)
    assert check_county(folder, relaxed).problems == []
    # The good package's notices run 11 days, both ends counted (natural-days-inclusive, the default).
    strict = Settings(min_notice_days=12)
    assert [p.code for p in check_county(GOOD, strict).problems] == ["notice-period-too-short"] * 2


def test_all_problems_are_collected_at_once(tmp_path):
    folder = package_with_defect("negative-amount", tmp_path / "pkg")
    for defect in ("notice-period-too-short", "mobile-in-responsible-person", "village-parent-missing"):
        for file in (Path(__file__).parent / "fixtures" / "defects" / defect).iterdir():
            (folder / file.name).write_bytes(file.read_bytes())
    codes = {p.code for p in check_county(folder, SETTINGS).problems}
    assert {"constraint-error", "notice-period-too-short", "phone-number-published", "region-parent-missing"} <= codes


def test_missing_resource_file_is_reported_not_raised(tmp_path):
    folder = package_with_defect("extra-cell", tmp_path / "pkg")
    (folder / "notices.csv").unlink()
    problems = check_county(folder, SETTINGS).problems
    assert [(p.code, p.row, p.field) for p in problems if p.code == "file-missing"] == [("file-missing", None, None)]


def test_wrong_folder_for_county_code(tmp_path):
    import shutil

    shutil.copytree(GOOD, tmp_path / "519903")
    assert ("county-code-mismatch", "datapackage.json", None, "gongshi.county") in found(tmp_path / "519903")


def test_clerk_guide_explains_every_code():
    from conftest import ROOT

    guide = (ROOT / "content" / "pages" / "clerk-guide.md").read_text(encoding="utf-8")
    codes = {code for cases in DEFECT_CASES.values() for code, *_ in cases}
    assert not [code for code in sorted(codes) if f"`{code}`" not in guide]


def test_counties_checked_in_parallel_report_what_each_check_reports(tmp_path):
    from gongshi.county import check_counties

    folders = [package_with_defect("negative-amount", tmp_path / "519902"), package_with_defect("extra-cell", tmp_path / "b")]
    reports = check_counties(folders, SETTINGS, workers=2)
    assert [r.folder for r in reports] == folders
    assert [r.problems for r in reports] == [check_county(f, SETTINGS).problems for f in folders]
    assert reports[0].rows == sum(len(p.read_text(encoding="utf-8").splitlines()) - 1 for p in folders[0].glob("*.csv"))


def test_an_archived_version_with_a_fraction_of_a_fen_stays_published_but_a_new_submission_does_not(tmp_path):
    """A version published before the rule existed is still the county's last good one; a leaked ID number is not
    forgiven in an archive."""
    from gongshi.county import as_archived

    fraction = package_with_defect("amount-fraction-of-fen", tmp_path / "a")
    assert not check_county(fraction, SETTINGS).publishable
    assert as_archived(check_county(fraction, SETTINGS)).publishable
    leaked = package_with_defect("id-number-in-notes", tmp_path / "b")
    assert not as_archived(check_county(leaked, SETTINGS)).publishable
