"""Verify signed packages against the province's trust file: signature, signer, file sizes and hashes."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..package.descriptor import DESCRIPTOR
from ..package.load import PackageFiles, attachment_files, resource_path, signed_attachments
from ..problems import GongshiError, Problem, error
from . import sshsig

SIGNATURE = DESCRIPTOR + ".sig"
ALLOWED_SIGNERS = "allowed_signers"
REVOKED = "revoked_keys"


@dataclass
class Trust:
    """Who may sign for which county, as the province's signed allowed_signers file says."""

    signers: list[sshsig.AllowedSigner]
    revoked: set[bytes] = field(default_factory=set)


def load_trust(path: Path, province_fingerprint: str | None) -> tuple[Trust | None, list[Problem]]:
    """Read a trust file (keys/allowed_signers) and check its signature by the province key with this fingerprint.

    Revoked keys are read from revoked_keys beside it.
    """
    where = str(path)
    if not path.is_file():
        return None, [error("trust-file-missing", where, None, None,
                            f"找不到信任文件 {path}：无法确认各县的签名密钥。请从省级管理员处获取。",
                            f"The trust file {path} is missing; ask the province for it.")]
    content = path.read_bytes()
    try:
        signers = sshsig.parse_allowed_signers(content.decode("utf-8"))
        revoked = sshsig.read_revoked(path.parent / REVOKED)
    except (sshsig.SignatureError, UnicodeDecodeError) as exc:
        return None, [error("trust-file-invalid", where, None, None, f"信任文件无法读取：{exc}。",
                            f"The trust file cannot be read: {exc}.")]
    signature_path = path.with_name(path.name + ".sig")
    if not signature_path.is_file():
        return None, [error("trust-file-unsigned", where, None, None,
                            f"信任文件 {path} 没有省级签名（缺少 {signature_path.name}）。请省级管理员签名："
                            f"gongshi sign-trust {path} --key 省级私钥。",
                            f"The trust file has no province signature ({signature_path.name} is missing).")]
    try:
        signature = sshsig.parse_signature(signature_path.read_text(encoding="utf-8"))
        reason = None if sshsig.signature_matches(content, signature) else \
            "签名与文件内容不符 / the signature does not match the file"
    except (sshsig.SignatureError, UnicodeDecodeError) as exc:
        reason = str(exc)
    if reason:
        return None, [error("trust-file-invalid", str(signature_path), None, None,
                            f"信任文件的省级签名无效（{reason}）：文件可能被改过。",
                            f"The province signature of the trust file is invalid ({reason}).")]
    if not province_fingerprint or signature.fingerprint != province_fingerprint:
        return None, [error("trust-file-invalid", str(signature_path), None, None,
                            f"信任文件是用指纹为 {signature.fingerprint} 的密钥签名的，不是设置中的省级密钥"
                            f"（{province_fingerprint or '未设置'}）。",
                            f"The trust file is signed by key {signature.fingerprint}, not the configured province "
                            f"key {province_fingerprint or '(not set)'}.")]
    return Trust(signers, revoked), []


REFUSALS = {
    sshsig.SIGNATURE_INVALID: ("签名无效：datapackage.json 在签名后被改动过，或签名文件损坏。请用本县密钥重新签名。",
                               "The signature is invalid: datapackage.json changed after signing, or the "
                               "signature is damaged. Sign again with the county's key."),
    sshsig.SIGNER_NOT_ALLOWED: ("签名所用的密钥（{fp}）不在信任文件中，或不是 {county} 的密钥（可能用了别的县的密钥）。"
                                "请用本县登记的密钥签名，或请省级把新密钥加入信任文件。",
                                "The signing key ({fp}) is not allowed to sign for {county} in the trust file "
                                "(another county's key?)."),
    sshsig.KEY_EXPIRED: ("签名所用的密钥（{fp}）在 {when} 不在有效期内（valid-after/valid-before）。"
                         "请用当前有效的新密钥重新签名。",
                         "The signing key ({fp}) is outside its validity window at {when}; sign with the "
                         "current key."),
    sshsig.KEY_REVOKED: ("签名所用的密钥（{fp}）已被吊销。请用新密钥重新签名。",
                         "The signing key ({fp}) has been revoked; sign with a new key."),
}


def verify_package(folder: Path, county: str, trust: Trust | None, when: dt.datetime | None = None,
                   files: PackageFiles | None = None) -> list[Problem]:
    """Return the problems that stop a county package from being trusted: signature, signer, file hashes."""
    when = when or dt.datetime.now(dt.UTC)
    files = files or PackageFiles(folder)
    signature_path = folder / SIGNATURE
    armored = files.get(SIGNATURE)
    if armored is None:
        return [error("signature-missing", str(signature_path), None, None,
                      f"数据包没有签名（缺少 {SIGNATURE}）。请运行 gongshi sign {folder} --key 本县私钥。",
                      f"The package is not signed ({SIGNATURE} is missing). Run: gongshi sign {folder} --key KEY")]
    content = files.get(DESCRIPTOR) or b""
    problems = []
    if trust is not None:
        armored_text = armored.decode("utf-8", errors="replace")
        reason = sshsig.check(content, armored_text, trust.signers, county, when=when, revoked=trust.revoked)
        if reason:
            try:
                fp = sshsig.parse_signature(armored_text).fingerprint
            except sshsig.SignatureError:
                fp = "?"
            zh, en = REFUSALS[reason]
            values = {"fp": fp, "county": county, "when": when.strftime("%Y-%m-%d %H:%M UTC")}
            problems.append(error(reason, str(signature_path), None, None, zh.format(**values), en.format(**values)))
    problems.extend(hash_problems(folder, files))
    return problems


def hash_problems(folder: Path, files: PackageFiles | None = None) -> list[Problem]:
    """Return a problem for each resource file whose size or hash differs from datapackage.json."""
    files = files or PackageFiles(folder)
    try:
        descriptor = json.loads(files.get(DESCRIPTOR) or b"")
        resources = [r for r in descriptor.get("resources", []) if isinstance(r, dict)]
    except (ValueError, AttributeError):
        return []
    problems = []
    attached = signed_attachments(descriptor)
    recorded = {a["path"] for a in attached}
    for name in attachment_files(Path(folder)):
        if name not in recorded:  # added after signing: it would be published without the county's signature
            problems.append(error("hash-missing", str(folder / DESCRIPTOR), None, name,
                                  f"附件 {name} 不在签名记录中（签名之后才放进来）。请运行 gongshi sign 重新签名。",
                                  f"Attachment {name} is not recorded in the signed package; sign again."))
    for resource in resources + [{"name": a["path"], **a} for a in attached]:
        name, raw = resource.get("name"), resource.get("path")
        path, refusal = resource_path(folder, raw)
        if refusal:
            problems.append(error("unsafe-path", str(folder / DESCRIPTOR), None, name,
                                  f"数据表 {name} 的文件路径“{raw}”不安全或无效：只能是本文件夹内的文件，未读取。",
                                  f"The path {raw!r} of resource {name} is refused: only files inside the package "
                                  "folder are read."))
            continue
        if "hash" not in resource or "bytes" not in resource:
            problems.append(error("hash-missing", str(folder / DESCRIPTOR), None, name,
                                  f"datapackage.json 没有记录 {path.name} 的大小和哈希。请运行 gongshi sign 重新签名。",
                                  f"datapackage.json records no size and hash for {path.name}; sign again."))
            continue
        found = files.digest(str(raw))
        if found is None:
            problems.append(error("file-missing", str(path), None, None,
                                  f"找不到数据文件 {path.name}：签名的数据包中有这个文件。请下载完整数据包（zip）。",
                                  f"{path.name} is missing; the signed package lists it. Download the whole zip."))
        elif found != (resource["bytes"], resource["hash"]):
            problems.append(error("hash-mismatch", str(path), None, None,
                                  f"文件 {path.name} 与签名时记录的大小或哈希不一致：签名之后它被改过。"
                                  "如果是本县自己修改的，请重新签名；否则说明文件被篡改。",
                                  f"{path.name} does not match the size and hash recorded when the package was "
                                  "signed: it changed after signing."))
    return problems


class NotAPackage(GongshiError, ValueError):
    """A folder or zip to verify holds no readable datapackage.json."""


def province_key_note(trust_path: Path, given: str | None, notes: list[str]) -> str | None:
    """The province key to check a trust file against: the one given, else the one that signed it (and a note
    asking the reader to compare it with the fingerprint the site and the notices print)."""
    signature = trust_path.with_name(trust_path.name + ".sig")
    if given or not signature.is_file():
        return given
    try:
        found = sshsig.parse_signature(signature.read_text(encoding="utf-8")).fingerprint
    except (sshsig.SignatureError, UnicodeDecodeError):
        return None
    notes.append(f"信任文件由密钥 {found} 签名：请与网站和公示上印的省级密钥指纹核对 / "
                 "compare this with the province key fingerprint published on the site and notices")
    return found


def verify_folder(folder: Path, trust_path: Path, province_key: str | None) -> tuple[list[Problem], list[str]]:
    """Verify a package folder (a download, unzipped, or a county's own): the trust file's province signature, the
    county's signature and every file's size and hash. Return the problems and notes on what was checked."""
    files = PackageFiles(folder)
    try:
        county = str(json.loads(files.get(DESCRIPTOR) or b"")["gongshi"]["county"])
    except (ValueError, KeyError, TypeError) as exc:
        raise NotAPackage(f"{folder}: 没有可读的 {DESCRIPTOR} / no readable {DESCRIPTOR} ({exc})") from exc
    notes = [f"县 / county: {county}", f"信任文件 / trust file: {trust_path}"]
    province_key = province_key_note(trust_path, province_key, notes)
    trust, problems = load_trust(trust_path, province_key)
    return problems + verify_package(folder, county, trust, files=files), notes
