"""A new county's package: its real name and townships from the national list, every other table empty.

`gongshi new-county CODE` writes it. Nothing is copied from another county, so there is no signature, no hash and
no demo data to delete: the clerk fills in the tables, checks them with `gongshi validate` and signs with the
county's own key.
"""

from __future__ import annotations

import csv
import os
import shutil
import unicodedata
from pathlib import Path

from ..problems import GongshiError
from ..schemas import ALL_RESOURCES, OPTIONAL_RESOURCES, SchemaSet
from . import divisions
from .descriptor import build_descriptor, write_descriptor
from .load import COUNTY_CODE


class NewCountyError(GongshiError, ValueError):
    """The code or the folder given is wrong, so nothing is written; the message is in Chinese, then English."""

    def __init__(self, message: str, message_en: str):
        super().__init__(f"{message}\n{message_en}")


class CannotWrite(NewCountyError):
    """The folder cannot be written (a full disk, no permission); nothing is left of it."""


def new_county(code: str, out: Path, schemas: SchemaSet, name: str | None = None) -> tuple[divisions.Division, int]:
    """Write county `code`'s package into the folder `out` (which must not exist); return the county and how many
    townships its regions.csv lists. `name` starts a county the national list does not have yet (set up after its
    edition): the package then lists the county alone. Writes nothing when it raises NewCountyError."""
    code = unicodedata.normalize("NFKC", code).strip()  # digits typed with a Chinese input method
    if not COUNTY_CODE.fullmatch(code):
        raise NewCountyError(f"县代码应是6位数字（第一位是1～8），现在是“{code}”。",
                             f"CODE must be the 6-digit county code (first digit 1-8), got {code!r}.")
    listed = divisions.load()
    county = listed.county(code)
    if county is None and (not name or code[4:] == "00"):
        zh, en = divisions.unknown_county(code)
        raise NewCountyError(
            f"{zh}请用本县的6位县级区划代码。如果本县是在这份名单之后新设的，请加上 --name 本县名称。",
            f"{en} Use your county's own 6-digit code; for a county set up after this list, add --name NAME.")
    if county is None:
        county = divisions.Division(code, name.strip(), code[:4])
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise NewCountyError(f"{out} 已经存在，不会覆盖。要重新开始，请先把它移走或换一个 --out。",
                             f"{out} already exists and is not overwritten; move it away or give another --out.")
    townships = listed.townships_of(code)
    full_name = listed.full_name(code) if listed.county(code) else county.name
    descriptor = build_descriptor(code, f"{full_name}扶贫资金项目公告公示数据", demo=False, schemas=schemas,
                                  optional=OPTIONAL_RESOURCES)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        write_descriptor(staging, descriptor)
        county_code = county.code12
        regions = [[county_code, county.name, "county", "", ""]]
        regions += [[t.code12, t.name, "township", county_code, ""] for t in townships]
        for resource in ALL_RESOURCES:
            with open(staging / f"{resource}.csv", "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([f["name"] for f in schemas.fields(resource)])
                writer.writerows(regions if resource == "regions" else [])
        os.rename(staging, out)  # the whole package appears at once, or nothing does
    except OSError as exc:
        raise CannotWrite(f"无法写入 {out}：{exc.strerror or exc}。请检查文件夹和权限，或换一个 --out。",
                             f"Cannot write {out}: {exc.strerror or exc}. Check the folder and its permissions, or "
                             "give another --out.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return county, len(townships)
