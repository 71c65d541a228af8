"""A new county's package: its real name and townships from the national list, every other table empty.

`gongshi new-county CODE` writes it. Nothing is copied from another county, so there is no signature, no hash and
no demo data to delete: the clerk fills in the tables, checks them with `gongshi validate` and signs with the
county's own key.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

from . import divisions
from .checks.rules import unknown_county
from .descriptor import build_descriptor, write_descriptor
from .schemas import ALL_RESOURCES, OPTIONAL_RESOURCES, SchemaSet


class NewCountyError(ValueError):
    """The package cannot be written; args are the Chinese and the English message."""


def new_county(code: str, out: Path, schemas: SchemaSet) -> tuple[divisions.Division, int]:
    """Write county `code`'s package into the folder `out` (which must not exist); return the county and how many
    townships its regions.csv lists. Writes nothing when it raises NewCountyError."""
    if not (len(code) == 6 and code.isdigit()):
        raise NewCountyError(f"县代码应是6位数字，现在是“{code}”。", f"CODE must be the 6-digit county code, got {code!r}.")
    listed = divisions.load()
    county = listed.county(code)
    if county is None:
        zh, en = unknown_county(code)
        raise NewCountyError(f"{zh}请用本县的6位县级区划代码。", f"{en} Use your county's own 6-digit code.")
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise NewCountyError(f"{out} 已经存在，不会覆盖。要重新开始，请先把它移走或换一个 --out。",
                             f"{out} already exists and is not overwritten; move it away or give another --out.")
    townships = listed.townships_of(code)
    descriptor = build_descriptor(code, f"{listed.full_name(code)}扶贫资金项目公告公示数据", demo=False,
                                  schemas=schemas, optional=OPTIONAL_RESOURCES)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir()
        write_descriptor(staging, descriptor)
        county_code = county.code12
        regions = [[county_code, county.name, "county", "", ""]]
        regions += [[t.code12, t.name, "township", county_code, ""] for t in townships]
        for name in ALL_RESOURCES:
            with open(staging / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([f["name"] for f in schemas.fields(name)])
                writer.writerows(regions if name == "regions" else [])
        os.rename(staging, out)  # the whole package appears at once, or nothing does
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return county, len(townships)

