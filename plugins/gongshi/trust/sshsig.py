"""OpenSSH signatures (PROTOCOL.sshsig) with Ed25519 keys, and allowed_signers files, as ssh-keygen -Y reads them.

The cryptography is the `cryptography` package's Ed25519; this module only speaks the wire format, so a
signature made here verifies with `ssh-keygen -Y verify` and one made by `ssh-keygen -Y sign` verifies here.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import hashlib
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..problems import GongshiError

NAMESPACE = "gongshi"
MAGIC = b"SSHSIG"
ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
ARMOR_END = "-----END SSH SIGNATURE-----"
KEY_TYPE = "ssh-ed25519"


class SignatureError(GongshiError, ValueError):
    """A signature or key could not be read; the message says why."""


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def raw(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise SignatureError("truncated signature")
        chunk, self.at = self.data[self.at:self.at + n], self.at + n
        return chunk

    def uint32(self) -> int:
        return struct.unpack(">I", self.raw(4))[0]

    def string(self) -> bytes:
        return self.raw(self.uint32())


def public_blob(key: Ed25519PublicKey) -> bytes:
    """Return the SSH wire encoding of an Ed25519 public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _string(KEY_TYPE.encode()) + _string(raw)


def key_from_blob(blob: bytes) -> Ed25519PublicKey:
    reader = _Reader(blob)
    if reader.string().decode(errors="replace") != KEY_TYPE:
        raise SignatureError("only ssh-ed25519 keys are accepted")
    return Ed25519PublicKey.from_public_bytes(reader.string())


def fingerprint(blob: bytes) -> str:
    """Return a key's fingerprint as ssh-keygen -l prints it: SHA256:..."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def public_line(blob: bytes, comment: str = "") -> str:
    return f"{KEY_TYPE} {base64.b64encode(blob).decode()}" + (f" {comment}" if comment else "")


def parse_public_line(line: str) -> bytes:
    """Return the key blob of an `ssh-ed25519 AAAA... comment` line."""
    parts = line.split()
    if len(parts) < 2 or parts[0] != KEY_TYPE:
        raise SignatureError("not an ssh-ed25519 public key line")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError as exc:
        raise SignatureError("the public key is not valid base64") from exc
    key_from_blob(blob)
    return blob


def generate_key(path: str | Path, comment: str) -> str:
    """Write a new Ed25519 OpenSSH private key to path (mode 600) and path.pub; return the public line."""
    path = Path(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=False)
    path.write_bytes(pem)
    line = public_line(public_blob(key.public_key()), comment)
    path.with_name(path.name + ".pub").write_text(line + "\n", encoding="utf-8")
    return line


def load_private_key(path: str | Path) -> Ed25519PrivateKey:
    """Read an unencrypted OpenSSH Ed25519 private key."""
    try:
        key = serialization.load_ssh_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise SignatureError(f"cannot read the private key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"{path} is not an Ed25519 key; create one with gongshi keygen")
    return key


def _signed_data(message: bytes, namespace: str, hash_algorithm: str) -> bytes:
    digest = hashlib.new(hash_algorithm, message).digest()
    return MAGIC + _string(namespace.encode()) + _string(b"") + _string(hash_algorithm.encode()) + _string(digest)


def sign(message: bytes, key: Ed25519PrivateKey, namespace: str = NAMESPACE) -> str:
    """Return an armored SSH signature of message, as `ssh-keygen -Y sign -n namespace` writes it."""
    signature = key.sign(_signed_data(message, namespace, "sha512"))
    blob = (MAGIC + struct.pack(">I", 1) + _string(public_blob(key.public_key())) + _string(namespace.encode())
            + _string(b"") + _string(b"sha512") + _string(_string(KEY_TYPE.encode()) + _string(signature)))
    body = base64.b64encode(blob).decode()
    lines = [body[i:i + 70] for i in range(0, len(body), 70)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


@dataclass(frozen=True)
class Signature:
    public_key: bytes
    namespace: str
    hash_algorithm: str
    signature: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def parse_signature(armored: str) -> Signature:
    """Read an armored SSH signature."""
    text = armored.strip()
    if not (text.startswith(ARMOR_BEGIN) and text.endswith(ARMOR_END)):
        raise SignatureError("not an SSH signature (no BEGIN/END SSH SIGNATURE lines)")
    try:
        blob = base64.b64decode("".join(text[len(ARMOR_BEGIN):-len(ARMOR_END)].split()), validate=True)
    except ValueError as exc:
        raise SignatureError("the signature is not valid base64") from exc
    reader = _Reader(blob)
    if reader.raw(6) != MAGIC or reader.uint32() != 1:
        raise SignatureError("not an SSHSIG version 1 signature")
    public_key, namespace = reader.string(), reader.string().decode(errors="replace")
    reader.string()  # reserved
    hash_algorithm = reader.string().decode(errors="replace")
    if hash_algorithm not in ("sha256", "sha512"):
        raise SignatureError(f"unsupported hash algorithm {hash_algorithm}")
    inner = _Reader(reader.string())
    if inner.string().decode(errors="replace") != KEY_TYPE:
        raise SignatureError("only ssh-ed25519 signatures are accepted")
    return Signature(public_key, namespace, hash_algorithm, inner.string())


def signature_matches(message: bytes, signature: Signature, namespace: str = NAMESPACE) -> bool:
    """Tell whether the signature is a valid signature of message by its own embedded key, in namespace."""
    if signature.namespace != namespace:
        return False
    try:
        key_from_blob(signature.public_key).verify(
            signature.signature, _signed_data(message, namespace, signature.hash_algorithm))
    except (InvalidSignature, SignatureError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class AllowedSigner:
    principals: tuple[str, ...]
    namespaces: tuple[str, ...] | None
    valid_after: dt.datetime | None
    valid_before: dt.datetime | None
    key: bytes
    line: int

    def names(self, principal: str) -> bool:
        return _pattern_match(principal, self.principals)

    def allows_namespace(self, namespace: str) -> bool:
        return self.namespaces is None or _pattern_match(namespace, self.namespaces)

    def valid_at(self, when: dt.datetime) -> bool:
        return ((self.valid_after is None or self.valid_after <= when)
                and (self.valid_before is None or when <= self.valid_before))


def _pattern_match(name: str, patterns: tuple[str, ...]) -> bool:
    """Match like ssh_config PATTERNS: any positive pattern matches and no negated one does."""
    matched = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if fnmatch.fnmatchcase(name, pattern[1:]):
                return False
        elif fnmatch.fnmatchcase(name, pattern):
            matched = True
    return matched


def parse_time(value: str) -> dt.datetime:
    """Read YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z]; we write and read these as UTC."""
    text = value.rstrip("Zz")
    formats = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    if len(text) not in formats or not text.isdigit():
        raise SignatureError(f"bad time {value!r}: use YYYYMMDD or YYYYMMDDHHMM[SS], with Z for UTC")
    return dt.datetime.strptime(text, formats[len(text)]).replace(tzinfo=dt.UTC)


_OPTION = re.compile(r'([A-Za-z-]+)(?:="([^"]*)")?')


def parse_allowed_signers(text: str) -> list[AllowedSigner]:
    """Read an allowed_signers file; a line that cannot be read raises SignatureError naming it."""
    signers = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            principals, rest = line.split(None, 1)
            options: dict[str, str] = {}
            if not rest.startswith(KEY_TYPE):
                spec, rest = _split_options(rest)
                for match in _OPTION.finditer(spec):
                    options[match.group(1).lower()] = match.group(2) or ""
            blob = parse_public_line(rest)
            signers.append(AllowedSigner(
                principals=tuple(principals.split(",")),
                namespaces=tuple(options["namespaces"].split(",")) if "namespaces" in options else None,
                valid_after=parse_time(options["valid-after"]) if "valid-after" in options else None,
                valid_before=parse_time(options["valid-before"]) if "valid-before" in options else None,
                key=blob, line=number))
        except (SignatureError, ValueError) as exc:
            raise SignatureError(f"allowed_signers line {number}: {exc}") from exc
    return signers


def _split_options(rest: str) -> tuple[str, str]:
    """Split `opt1,opt2="a b" ssh-ed25519 AAAA` at the first space outside quotes."""
    quoted = False
    for i, ch in enumerate(rest):
        if ch == '"':
            quoted = not quoted
        elif ch.isspace() and not quoted:
            return rest[:i], rest[i:].strip()
    raise SignatureError("no key after the options")


def read_revoked(path: str | Path | None) -> set[bytes]:
    """Read a file of revoked public keys, one `ssh-ed25519 AAAA...` per line (ssh-keygen -r reads the same)."""
    if path is None or not Path(path).is_file():
        return set()
    revoked = set()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            revoked.add(parse_public_line(line))
    return revoked


# Why a signature is refused, most specific first; each is its own problem code.
SIGNER_NOT_ALLOWED = "signer-not-allowed"
KEY_EXPIRED = "key-expired"
KEY_REVOKED = "key-revoked"
SIGNATURE_INVALID = "signature-invalid"


def check(message: bytes, armored: str, signers: list[AllowedSigner], principal: str, *,
          when: dt.datetime, revoked: set[bytes] = frozenset(), namespace: str = NAMESPACE) -> str | None:
    """Return None if the signature is valid and its key may sign for principal at `when`, else the reason code."""
    try:
        signature = parse_signature(armored)
    except SignatureError:
        return SIGNATURE_INVALID
    if not signature_matches(message, signature, namespace):
        return SIGNATURE_INVALID
    if signature.public_key in revoked:
        return KEY_REVOKED
    candidates = [s for s in signers if s.key == signature.public_key and s.names(principal)
                  and s.allows_namespace(namespace)]
    if not candidates:
        return SIGNER_NOT_ALLOWED
    if not any(s.valid_at(when) for s in candidates):
        return KEY_EXPIRED
    return None
