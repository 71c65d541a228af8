"""Sign a county's package: stamp each file's size and hash into datapackage.json and sign it; or take a copied
signature off again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..package.descriptor import DESCRIPTOR, write_descriptor
from ..package.load import attachment_files
from ..problems import GongshiError
from . import sshsig
from .verify import SIGNATURE


def file_digest(path: Path) -> tuple[int, str]:
    """Return (bytes, "sha256:<hex>") of a file, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, "sha256:" + digest.hexdigest()


def stamp(folder: Path) -> bytes:
    """Write bytes and hash of every resource file into folder/datapackage.json; return its new content."""
    path = folder / DESCRIPTOR
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    county = descriptor.get("gongshi", {}).get("county") if isinstance(descriptor.get("gongshi"), dict) else None
    if county:  # a package started from another county's keeps its name until it is signed as its own
        descriptor["name"] = f"gongshi-{county}"
    for resource in descriptor.get("resources", []):
        resource["bytes"], resource["hash"] = file_digest(folder / resource["path"])
    # A notice's attachments are signed with the tables: each file of attachments/ with its size and hash.
    attached = attachment_files(folder)
    if attached:
        descriptor.setdefault("gongshi", {})["attachments"] = [
            dict(zip(("path", "bytes", "hash"), (name, *file_digest(folder / name)), strict=True)) for name in attached]
    elif isinstance(descriptor.get("gongshi"), dict):
        descriptor["gongshi"].pop("attachments", None)
    content = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    path.write_bytes(content)
    return content


def sign_package(folder: Path, key_path: Path) -> str:
    """Stamp the package and write datapackage.json.sig; return the signing key's fingerprint."""
    key = sshsig.load_private_key(key_path)
    content = stamp(folder)
    (folder / SIGNATURE).write_text(sshsig.sign(content, key), encoding="utf-8")
    return sshsig.fingerprint(sshsig.public_blob(key.public_key()))


def sign_file(path: Path, key_path: Path) -> Path:
    """Sign any file (the trust file, a release log) into path.sig."""
    signature = path.with_name(path.name + ".sig")
    signature.write_text(sshsig.sign(path.read_bytes(), sshsig.load_private_key(key_path)), encoding="utf-8")
    return signature


class UnreadablePackage(GongshiError, ValueError):
    """datapackage.json cannot be read; the message says which and why."""


def remove_signature(folder: Path) -> tuple[str, int, bool]:
    """Take a package's signature and recorded sizes and hashes off, and give it its county's name again (as
    after copying another county's package). Return the county, how many files had hashes, and whether a
    signature was removed. The tables are not touched."""
    path = Path(folder) / DESCRIPTOR
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        county = str(descriptor["gongshi"]["county"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UnreadablePackage(f"{path}: 无法读取 / cannot read ({exc})") from exc
    stamped = 0
    for resource in descriptor.get("resources", []):
        if isinstance(resource, dict) and ("hash" in resource or "bytes" in resource):
            resource.pop("hash", None)
            resource.pop("bytes", None)
            stamped += 1
    if isinstance(descriptor.get("gongshi"), dict):
        stamped += len(descriptor["gongshi"].pop("attachments", None) or [])
    descriptor["name"] = f"gongshi-{county}"
    write_descriptor(folder, descriptor)
    signature = Path(folder) / SIGNATURE
    removed = signature.is_file()
    if removed:
        signature.unlink()
    return county, stamped, removed
