"""A county's download bundle: the signed package, the trust file and checksums, as one zip a journalist can check."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from ..package.descriptor import DESCRIPTOR
from ..package.load import PackageFiles
from ..problems import GongshiError
from .verify import ALLOWED_SIGNERS, REVOKED, SIGNATURE

SUMS = "SHA256SUMS"
# A fixed timestamp keeps the zip byte-identical between builds of the same data.
ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def bundle_files(files: PackageFiles, keys: Path, resource_paths: list[str]) -> dict[str, bytes]:
    """The files of a package's bundle by their name inside it: the signed descriptor, its signature, the tables
    and the trust files, as bytes (the package's read once)."""
    found = {DESCRIPTOR: files.get(DESCRIPTOR), SIGNATURE: files.get(SIGNATURE)}
    found.update({name: files.get(name) for name in resource_paths})
    for name in (ALLOWED_SIGNERS, ALLOWED_SIGNERS + ".sig", REVOKED):
        path = Path(keys) / name
        found[name] = path.read_bytes() if path.is_file() else None
    return {name: data for name, data in found.items() if data is not None}


def sha256sums(files: dict[str, bytes]) -> str:
    """Return a SHA256SUMS text that `sha256sum -c` accepts."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items()))


def zip_bytes(folder_name: str, files: dict[str, bytes], extra: dict[str, str]) -> bytes:
    """Files (and extra texts) as one zip under one folder, deterministically: the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        items = list(files.items()) + [(name, text.encode("utf-8")) for name, text in extra.items()]
        for name, data in sorted(items):
            info = zipfile.ZipInfo(f"{folder_name}/{name}", date_time=ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class UnsafeArchive(GongshiError, ValueError):
    """A zip entry would land outside the folder it is extracted to."""


def extract(archive: Path) -> tuple[tempfile.TemporaryDirectory, Path]:
    """Extract a bundle zip safely into a temporary folder; return it and the package folder inside."""
    tmp = tempfile.TemporaryDirectory(prefix="gongshi-")
    root = Path(tmp.name).resolve()
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            target = (root / info.filename).resolve()
            if not target.is_relative_to(root) or info.filename.startswith("/"):
                tmp.cleanup()
                raise UnsafeArchive(info.filename)
            if info.is_dir():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    found = sorted(root.rglob(DESCRIPTOR))
    return tmp, (found[0].parent if found else root)
