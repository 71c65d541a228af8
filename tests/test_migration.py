"""A package made before gongshi added columns keeps validating, and `gongshi update-schemas` migrates it: the
new columns are added empty (read as not stated), every value is kept."""

from __future__ import annotations

import csv
import io
import json
import shutil

from test_unstated import gongshi, problems

from conftest import GOOD, ROOT

NEWER = {name: [f["name"] for f in json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))["fields"]
                if f.get("addedIn")] for name in ("allocations", "projects", "notices")}
# Ledger columns a table may go without: read as empty, with no warning.
QUIET = {f["name"] for name in NEWER for f in json.loads((ROOT / "schemas" / f"{name}.json").read_text(
    encoding="utf-8"))["fields"] if f.get("optionalColumn")}


def rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_an_old_package_validates_and_update_schemas_adds_the_new_columns(tmp_path):
    folder = shutil.copytree(GOOD, tmp_path / "519902")
    before = {}
    for name, newer in NEWER.items():  # as written before these columns existed
        path = folder / f"{name}.csv"
        table = rows(path)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[n for n in table[0] if n not in newer], extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        path.write_text(buffer.getvalue(), encoding="utf-8")
        before[name] = rows(path)
    found = problems(folder)
    assert not [p for p in found if p["severity"] == "error"], found
    assert {(p["path"].rsplit("/", 1)[-1], p["field"]) for p in found if p["code"] == "column-added"} == \
        {(f"{name}.csv", column) for name, newer in NEWER.items() for column in newer if column not in QUIET}
    assert QUIET and not [p for p in found if p["field"] in QUIET]
    result = gongshi("update-schemas", str(folder))
    assert result.returncode == 0 and "published_on" in result.stdout and "fund_level" in result.stdout
    assert [p for p in problems(folder) if p["code"] == "column-added"] == []
    for name, old in before.items():  # every value kept, the new columns empty
        new = rows(folder / f"{name}.csv")
        assert [{k: v for k, v in r.items() if k not in NEWER[name]} for r in new] == old
        assert all(r[c] == "" for r in new for c in NEWER[name])
