"""The generated province: real Sichuan codes, valid and signed packages, sized by the scale."""

from __future__ import annotations

import csv

import pytest

from gongshi.county import check_county
from gongshi.package.divisions import REFERENCE
from gongshi.package.load import find_packages
from gongshi.settings import Settings
from gongshi.synth.province import generate_province, province_fingerprint
from gongshi.trust.verify import ALLOWED_SIGNERS, load_trust


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    out = tmp_path_factory.mktemp("province")
    return out, generate_province(out, scale=0.01, seed=7)


def test_counties_and_townships_are_real_sichuan_codes(province):
    out, summary = province
    with open(REFERENCE / "streets.csv", encoding="utf-8", newline="") as fh:
        real = {r["code"]: r["name"] for r in csv.DictReader(fh) if r["provinceCode"] == "51"}
    folders = find_packages(out / "data")
    assert len(folders) == summary["counties"] >= 2
    for folder in folders:
        with open(folder / "regions.csv", encoding="utf-8", newline="") as fh:
            for region in csv.DictReader(fh):
                if region["level"] == "township":
                    assert real[region["code"][:9]] == region["name"]
    assert summary["villages"] == 10 * summary["townships"]


def test_every_generated_county_is_valid_signed_and_released(province):
    out, _ = province
    settings = Settings(history_path=out / "history")
    trust = load_trust(out / "keys" / ALLOWED_SIGNERS, province_fingerprint(out))
    assert trust[1] == []
    for folder in find_packages(out / "data"):
        result = check_county(folder, settings, trust)
        assert result.problems == [], [p.message_en for p in result.problems][:5]


def test_scale_sets_the_size(province):
    out, summary = province
    projects = sum(sum(1 for _ in open(f / "projects.csv", encoding="utf-8")) - 1 for f in find_packages(out / "data"))
    assert 1_800 <= projects <= 2_200  # about 200,000 x 0.01
    assert summary["rows"] > 4 * projects  # funds, allocations, acceptances, notices, places and units too
