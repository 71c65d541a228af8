"""The schemas are the contract: Chinese on every field, keys declared, and the demo embeds them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gongshi.schemas import RESOURCES

from conftest import DEMO, ROOT

SCHEMAS = {name: json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8")) for name in RESOURCES}


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("name", RESOURCES)
def test_every_field_has_chinese_title_and_description(name):
    schema = SCHEMAS[name]
    assert is_chinese(schema["title"]) and is_chinese(schema["description"])
    for field in schema["fields"]:
        assert is_chinese(field["title"]) and is_chinese(field["description"]), field["name"]


def test_contract_field_names_are_present():
    required = {
        "regions": "code name level parent_code",
        "units": "unit_id name kind region_code phone",
        "allocations": "allocation_id year document_no fund_source allocator_unit_id recipient_region_code "
                       "recipient_unit_id amount allocated_on purpose",
        "projects": "project_id year name category region_code location content start_date end_date "
                    "implementing_unit_id responsible_person budget performance_targets benefit_mechanism "
                    "beneficiary_households beneficiary_people status",
        "project_funds": "project_id allocation_id amount",
        "acceptances": "project_id stage accepted_on result inspectors notes",
        "notices": "notice_id kind title discloser_unit_id region_code year start_date end_date",
    }
    for name, fields in required.items():
        assert set(fields.split()) <= {f["name"] for f in SCHEMAS[name]["fields"]}, name


def test_money_fields_are_numbers_not_floats_in_the_model():
    from decimal import Decimal

    from gongshi.package.records import parse_value

    for name, schema in SCHEMAS.items():
        for field in schema["fields"]:
            if field["name"] in ("amount", "budget"):
                assert field["type"] == "number" and field["constraints"]["minimum"] == 0, name
    assert parse_value("0.10", "number") == Decimal("0.10") and isinstance(parse_value("1", "number"), Decimal)


def test_foreign_keys_are_declared():
    references = {(name, fk["reference"]["resource"]) for name, s in SCHEMAS.items() for fk in s.get("foreignKeys", [])}
    # A cell holding a list (co-signing units, a project's villages) declares its reference on the field.
    references |= {(name, f["references"]["resource"]) for name, s in SCHEMAS.items() for f in s["fields"]
                   if "references" in f}
    assert {("units", "regions"), ("allocations", "units"), ("allocations", "regions"), ("projects", "regions"),
            ("projects", "units"), ("project_funds", "projects"), ("project_funds", "allocations"),
            ("acceptances", "projects"), ("notices", "units"), ("notices", "regions")} <= references


def test_demo_embeds_the_shared_schemas():
    descriptor = json.loads((DEMO / "datapackage.json").read_text(encoding="utf-8"))
    embedded = {r["name"]: r["schema"] for r in descriptor["resources"]}
    for name in RESOURCES:
        assert embedded[name] == {k: v for k, v in SCHEMAS[name].items() if k != "$schema"}
    assert descriptor["gongshi"] == {"county": "519901", "demo": True, "as_of": "2026-11-21"}
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in descriptor["resources"])


def test_plain_frictionless_validates_the_demo_and_catches_a_broken_key(tmp_path):
    import shutil

    ok = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(DEMO / "datapackage.json")],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout[-2000:]
    broken = shutil.copytree(DEMO, tmp_path / "519901")
    funds = broken / "project_funds.csv"
    lines = funds.read_text(encoding="utf-8").splitlines()
    lines[1] = "XM-NOPE" + lines[1][lines[1].index(","):]
    funds.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(broken / "datapackage.json")],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "foreign-key" in bad.stdout


def test_demo_generator_is_deterministic_and_signed(tmp_path):
    from gongshi.synth.demo import write_demo
    from gongshi.trust.sign import sign_package

    write_demo(tmp_path / "again")
    sign_package(tmp_path / "again", ROOT / "keys" / "demo" / "519901_DEMO_KEY")
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == sorted(p.name for p in DEMO.iterdir())
    for file in DEMO.iterdir():
        assert (tmp_path / "again" / file.name).read_bytes() == file.read_bytes(), file.name
