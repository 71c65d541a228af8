"""Files a journalist downloads: each county's signed package as a zip with checksums, and the trust files."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..package.descriptor import DESCRIPTOR
from ..package.load import PackageFiles, resource_path, signed_attachment_paths
from ..schemas import ALL_RESOURCES
from ..trust import sshsig
from ..trust.bundle import SUMS, bundle_files, sha256sums, zip_bytes
from ..trust.verify import ALLOWED_SIGNERS, REVOKED, SIGNATURE

PROVINCE_SIGNERS = "province_allowed_signers"


@dataclass(frozen=True)
class Download:
    name: str
    size: int
    sha256: str
    title: str


def download_of(path: Path, title: str) -> Download:
    """What a page says of a file already written."""
    data = path.read_bytes()
    return Download(path.name, len(data), hashlib.sha256(data).hexdigest(), title)


def _download(path: Path, title: str) -> Download:
    return _written(path, path.read_bytes(), title)


def _written(path: Path, data: bytes, title: str) -> Download:
    """Write data to path and return what a page says of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return Download(path.name, len(data), hashlib.sha256(data).hexdigest(), title)


README = """gongshi 数据包 {county} / data package {county}

验证步骤 / How to verify:
1. sha256sum -c SHA256SUMS
2. ssh-keygen -Y verify -f allowed_signers -I {county} -n gongshi -s datapackage.json.sig < datapackage.json
3. frictionless validate datapackage.json   (检查表结构，并核对每个文件的大小和哈希 / checks schemas, sizes and hashes)
或 / or: gongshi verify . --province-key <省级密钥指纹 / province key fingerprint>
"""


COUNTY_TITLES = {DESCRIPTOR: "数据包描述（已签名）", SIGNATURE: "县级签名", ALLOWED_SIGNERS: "信任文件",
                 ALLOWED_SIGNERS + ".sig": "信任文件的省级签名", SUMS: "SHA256 校验和"}


def _resource_paths(package: PackageFiles) -> list[str]:
    """The files of the tables gongshi knows, each a plain path inside the package (a bundle holds nothing else)."""
    descriptor = json.loads(package.get(DESCRIPTOR))
    return [r["path"] for r in descriptor.get("resources", []) if isinstance(r, dict)
            and r.get("name") in ALL_RESOURCES and not resource_path(package.folder, r.get("path"))[1]] + \
        signed_attachment_paths(descriptor, package.folder)


def write_package_downloads(target: Path, county: str, files: dict[str, bytes], name: str, title: str,
                            loose: tuple[str, ...] = ()) -> list[Download]:
    """Write a signed package's bundle `name`.zip (its files, with SHA256SUMS and a README inside), the files named
    in `loose` beside it, and SHA256SUMS of what was written; return what was written, in that order."""
    inner = {SUMS: sha256sums(files), "README.txt": README.format(county=county)}
    bundle = zip_bytes(name, files, inner)
    published = {f"{name}.zip": bundle, **{n: files[n] for n in loose if n in files}}
    written = [_written(target / f"{name}.zip", bundle, title)]
    written += [_written(target / n, data, COUNTY_TITLES.get(n, n)) for n, data in published.items() if n in loose]
    written.append(_written(target / SUMS, sha256sums(published).encode("utf-8"), COUNTY_TITLES[SUMS]))
    return written


def write_county_downloads(target: Path, county: str, package: PackageFiles, keys: Path) -> list[Download]:
    """Write the county's bundle zip and its loose signed files into target; return what was written."""
    files = bundle_files(package, keys, _resource_paths(package))
    return write_package_downloads(target, county, files, f"gongshi-{county}", "完整数据包（含表结构、签名和信任文件）",
                                   loose=(DESCRIPTOR, SIGNATURE, ALLOWED_SIGNERS, ALLOWED_SIGNERS + ".sig"))


def write_spreadsheets(target: Path, county: str, tables: dict[str, str], schemas) -> list[Download]:
    """Write the Excel-friendly copies of a county's tables: one XLSX and a CSV per table, formulas neutralised."""
    from .spreadsheet import write_csv, write_xlsx

    folder = target / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    workbook = target / f"gongshi-{county}.xlsx"
    write_xlsx(workbook, tables, schemas)
    written = [_download(workbook, "表格软件版：全部数据表（XLSX，已防公式注入，非签名原件）")]
    for name, text in tables.items():
        write_csv(folder / f"{name}.csv", text)
        written.append(_download(folder / f"{name}.csv", f"表格软件版：{schemas.tables[name].get('title', name)}（CSV）"))
    return written


def write_version_downloads(target: Path, county: str, seq: int, archive: PackageFiles,
                            keys: Path) -> list[Download]:
    """Write one archived version as a bundle zip and its checksums into target. The bundle holds that version
    alone, so it is made once; the release log, which grows with each version, is published beside the list."""
    files = bundle_files(archive, keys, _resource_paths(archive))
    return write_package_downloads(target, county, files, f"gongshi-{county}-v{seq}",
                                   f"第{seq}版完整数据包（含签名和信任文件）")


def write_log_downloads(target: Path, log: Path) -> list[Download]:
    """Publish a county's release log and its signature."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, title in ((log.name, "发布记录（每行一版，逐条哈希相连）"), (log.name + ".sig", "发布记录的县级签名")):
        if (log.parent / name).is_file():
            shutil.copyfile(log.parent / name, target / name)
            written.append(_download(target / name, title))
    return written


def write_trust_downloads(target: Path, keys: Path, province_fingerprint: str | None) -> list[Download]:
    """Publish the trust file, its signature, revoked keys, and the province key as an allowed_signers line."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, title in ((ALLOWED_SIGNERS, "信任文件：哪个密钥可以为哪个县签名"),
                        (ALLOWED_SIGNERS + ".sig", "信任文件的省级签名"), (REVOKED, "已吊销的密钥")):
        if (keys / name).is_file():
            shutil.copyfile(keys / name, target / name)
            written.append(_download(target / name, title))
    signature = keys / (ALLOWED_SIGNERS + ".sig")
    if signature.is_file():
        try:
            parsed = sshsig.parse_signature(signature.read_text(encoding="utf-8"))
        except sshsig.SignatureError:
            parsed = None
        # Only the key the settings name is published as the province key.
        if parsed and parsed.fingerprint == province_fingerprint:
            line = f'province namespaces="gongshi" {sshsig.public_line(parsed.public_key, "gongshi-province")}\n'
            (target / PROVINCE_SIGNERS).write_text(line, encoding="utf-8")
            written.append(_download(target / PROVINCE_SIGNERS, "省级密钥（用于验证信任文件）"))
    return written
