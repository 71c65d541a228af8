"""The publication history: every signed version archived, and a hash-chained, signed release log per county."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..package.descriptor import DESCRIPTOR
from ..package.load import PackageFiles, signed_attachment_paths
from ..problems import GongshiError, Problem, error
from . import sshsig
from .sign import sign_file
from .verify import ALLOWED_SIGNERS, SIGNATURE, Trust, hash_problems, load_trust, province_key_note

LOG = "log.jsonl"
GENESIS = "0" * 64
ENTRY_KEYS = ("seq", "county", "date", "package_sha256", "prev")


@dataclass(frozen=True)
class Entry:
    """One publication: the n-th signed datapackage.json of a county, chained to the entry before it."""

    seq: int
    county: str
    date: str
    package_sha256: str
    prev: str
    line: bytes

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.line).hexdigest()

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.strptime(self.date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def encode(values: dict) -> bytes:
    """Return the one canonical line of an entry: sorted keys, no spaces, UTF-8."""
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class LogError(GongshiError, ValueError):
    """A release log line cannot be read; the message names the line."""


def read_log(path: Path) -> list[Entry]:
    entries = []
    if not path.is_file():
        return entries
    for number, line in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            values = json.loads(line)
            if set(values) != set(ENTRY_KEYS):
                raise ValueError(f"keys must be {', '.join(ENTRY_KEYS)}")
            entries.append(Entry(int(values["seq"]), str(values["county"]), str(values["date"]),
                                 str(values["package_sha256"]), str(values["prev"]), line))
        except (ValueError, TypeError) as exc:
            raise LogError(f"line {number}: {exc}") from exc
    return entries


def county_history(history: Path, county: str) -> Path:
    return history / county


def release(package: Path, history: Path, county: str, key_path: Path, when: dt.datetime | None = None) -> Entry | None:
    """Archive the signed package as a new version and append it to the signed log; None if already released."""
    folder = county_history(history, county)
    log = folder / LOG
    entries = read_log(log)
    content = (package / DESCRIPTOR).read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if entries and entries[-1].package_sha256 == digest:
        return None
    when = (when or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    seq = entries[-1].seq + 1 if entries else 1
    values = {"seq": seq, "county": county, "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "package_sha256": digest,
              "prev": entries[-1].hash if entries else GENESIS}
    archive = folder / str(seq)
    archive.mkdir(parents=True, exist_ok=False)
    descriptor = json.loads(content)
    attached = signed_attachment_paths(descriptor, package)
    for name in [DESCRIPTOR, SIGNATURE, *(r["path"] for r in descriptor.get("resources", [])), *attached]:
        (archive / name).parent.mkdir(parents=True, exist_ok=True)  # attachments/… keep their folder
        shutil.copyfile(package / name, archive / name)
    line = encode(values)
    with open(log, "ab") as fh:
        fh.write(line + b"\n")
    sign_file(log, key_path)
    return read_log(log)[-1]


def chain_problems(entries: list[Entry], county: str, path: str) -> list[Problem]:
    """Return the first broken link of a log, if any: a wrong sequence, county or previous-entry hash."""
    previous = None
    for i, entry in enumerate(entries, start=1):
        expected_prev = previous.hash if previous else GENESIS
        if entry.seq != i or entry.county != county or entry.prev != expected_prev:
            what = ("序号不连续" if entry.seq != i else "县代码不符" if entry.county != county
                    else f"记录的上一条哈希与第{i - 1}条实际内容不符，第{i - 1}条在发布后被改过")
            what_en = ("the sequence is broken" if entry.seq != i else "the county does not match"
                       if entry.county != county else f"its hash of entry {i - 1} does not match: entry {i - 1} "
                       "was changed after publication")
            return [error("release-log-broken", path, i, "prev" if entry.prev != expected_prev else "seq",
                          f"发布记录在第{i}条断开：{what}。", f"The release log breaks at entry {i}: {what_en}.")]
        previous = entry
    return []


def archive_stamp(history: Path, entry: Entry) -> str:
    """What an archived version is known by once verified: its package hash, and each file's name, size, inode and
    times (a look at the folder, not a read of the files). Any write to a file changes its ctime, which nobody can
    set back, so a file changed since it was verified is verified again."""
    folder = history / str(entry.seq)
    listing = sorted((p.name, s.st_size, s.st_ino, s.st_mtime_ns, s.st_ctime_ns)
                     for p in folder.iterdir() if p.is_file() for s in [p.stat()]) if folder.is_dir() else []
    return hashlib.sha256(json.dumps([entry.package_sha256, listing]).encode()).hexdigest()


def verify_history(history: Path, county: str, trust: Trust | None, current: bytes | None,
                   verified: Collection[str] = (), clean: set[str] | None = None) -> list[Problem]:
    """Check a county's release log: its signature, its chain, every archived version, and that current is released.

    An archived version whose `archive_stamp` is in `verified` (an earlier build verified it, and its files are as
    they were) is not read again: the cost of a build does not grow with the number of versions. The stamps of the
    archived versions found clean (or skipped as verified) are added to `clean`, for the next build."""
    folder = county_history(history, county)
    log = folder / LOG
    path = str(log)
    if not log.is_file():
        return [error("release-missing", path, None, None,
                      f"本县没有发布记录 {log}。请用 gongshi sign 签名，它会记录这次发布。",
                      f"There is no release log {log}; gongshi sign records each publication.")]
    try:
        entries = read_log(log)
    except LogError as exc:
        return [error("release-log-broken", path, None, None, f"发布记录无法读取：{exc}。", f"The release log cannot be read: {exc}.")]
    problems = chain_problems(entries, county, path)
    signature = log.with_name(LOG + ".sig")
    if trust is not None:
        if not signature.is_file():
            problems.append(error("release-log-unsigned", path, None, None, "发布记录没有签名。请重新运行 gongshi sign。",
                                  "The release log is not signed; run gongshi sign again."))
        else:
            reason = sshsig.check(log.read_bytes(), signature.read_text(encoding="utf-8", errors="replace"),
                                  trust.signers, county, when=dt.datetime.now(dt.UTC), revoked=trust.revoked)
            if reason:
                problems.append(error("release-log-invalid", str(signature), None, None,
                                      f"发布记录的签名无效（{reason}）：记录在签名后被改过，或不是本县密钥签的。",
                                      f"The release log's signature is refused ({reason})."))
    for entry in entries:
        stamp = archive_stamp(folder, entry)
        if stamp in verified:
            if clean is not None:
                clean.add(stamp)
            continue
        archived = folder / str(entry.seq)
        descriptor = archived / DESCRIPTOR
        if not descriptor.is_file() or hashlib.sha256(descriptor.read_bytes()).hexdigest() != entry.package_sha256:
            problems.append(error("release-archive-mismatch", str(descriptor), entry.seq, None,
                                  f"第{entry.seq}版的存档与发布记录不符：存档被改过或缺失。",
                                  f"Archived version {entry.seq} does not match the release log."))
            continue
        found = hash_problems(archived)
        problems.extend(found)
        if not found and clean is not None:
            clean.add(stamp)
    if current is not None and entries and entries[-1].package_sha256 != hashlib.sha256(current).hexdigest():
        problems.append(error("release-missing", path, None, None,
                              "当前数据包还没有记入发布记录。请用 gongshi sign 重新签名，它会记录这次发布。",
                              "The current package is not in the release log; sign it with gongshi sign."))
    return problems


def copied_signature(folder: Path, county: str, history: Path, keys: Path | None,
                     files: PackageFiles | None = None) -> Problem | None:
    """The one problem of a package whose signature was not made for it: copied with the package of another county
    (the demo, a neighbour's). Without it, such a package gets a refusal for the signature and one for each file's
    hash, which tell a clerk that the data changed after signing, not that the signature is someone else's.

    Never for a signature that matches the package, nor for one made by the key that signs the county's own release
    log (a county that edited its package after signing: signature-invalid says so). Otherwise, any of:
    datapackage.json still has another county's name (gongshi-519901); the key that signed is listed in the trust
    file (keys/allowed_signers) for other counties only; or the county has never published (no release log, where
    the build or `gongshi sign` keep it), so no signature of its own can exist."""
    folder = Path(folder)
    files = files or PackageFiles(folder)
    signature_path = folder / SIGNATURE
    armored, content = files.get(SIGNATURE), files.get(DESCRIPTOR)
    if armored is None or content is None:
        return None
    try:
        signature = sshsig.parse_signature(armored.decode("utf-8"))
        descriptor = json.loads(content)
    except (ValueError, sshsig.SignatureError):
        return None  # the ordinary checks say what is wrong with it
    if sshsig.signature_matches(content, signature):
        return None  # made for this very package; whether its key may sign for the county is another check
    # Where the build keeps the history, and where gongshi sign writes it (history/ beside data/).
    logs = [county_history(root, county) / LOG for root in (Path(history), folder.resolve().parent.parent / "history")]
    published = [log for log in logs if log.is_file()]
    for log in published:
        try:
            if sshsig.parse_signature(log.with_name(LOG + ".sig").read_text(encoding="utf-8")).public_key == \
                    signature.public_key:
                return None  # the county's own key
        except (OSError, UnicodeDecodeError, sshsig.SignatureError):
            continue
    source = None
    name = descriptor.get("name") if isinstance(descriptor, dict) else None
    if isinstance(name, str) and name.startswith("gongshi-") and name[8:].isdigit() and name[8:] != county:
        source = name[8:]
    if source is None and keys is not None:
        try:
            signers = sshsig.parse_allowed_signers((Path(keys) / ALLOWED_SIGNERS).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, sshsig.SignatureError):
            signers = []
        own = [s for s in signers if s.key == signature.public_key]
        if own and not any(s.names(county) for s in own):
            # Name a county only when the trust file lists one by its code (not a pattern such as 5101*).
            source = next((p for s in own for p in s.principals if p.isdigit()), "")
    if source is None and published:
        return None  # signed by some key after the county's releases: the refusals of the signature say enough
    whose = f"县 {source} 的" if source else "另一个县的"
    whose_en = f"county {source}" if source else "another county"
    return error(
        "signature-copied", str(signature_path), None, None,
        f"{SIGNATURE} 是{whose}签名，不是本县 {county} 的：复制数据包时，签名和各文件的哈希也一起复制过来了，所以看上去像是"
        f"“签名后被改动”。请运行 gongshi unsign {folder} 删除复制来的签名和哈希；发布前再用本县的密钥签名"
        f"（gongshi sign {folder} --key 本县私钥）。",
        f"{SIGNATURE} was made for {whose_en}, not for county {county}: it was copied along with the package, "
        f"with its file hashes, which is why the files look changed after signing. Run: gongshi unsign {folder} "
        "(removes the copied signature and hashes), then sign with the county's own key before publishing.")


def verify_log(folder: Path, trust_path: Path, province_key: str | None) -> tuple[list[Problem], list[str]]:
    """Verify a county's history folder: its release log's chain (its first broken link leads the problems), its
    signature and every archived version. Return the problems and notes on what was checked."""
    log = folder / LOG
    entries = read_log(log)
    county = entries[0].county if entries else folder.name
    notes = [f"县 / county: {county}", f"发布记录 / release log: {log}，共 {len(entries)} 版 / {len(entries)} versions"]
    province_key = province_key_note(trust_path, province_key, notes)
    trust, problems = load_trust(trust_path, province_key) if trust_path.is_file() else (None, [])
    problems = problems + verify_history(folder.parent, county, trust, None)
    chain = chain_problems(entries, county, str(log))
    return chain + [p for p in problems if p not in chain], notes
