"""Signed packages with real ssh-keygen: round trips, every refusal reason, rotation, the build, downloads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongshi.cli import main
from gongshi.trust import sshsig
from gongshi.trust.history import release
from gongshi.trust.sign import sign_package, stamp

from conftest import GOOD, ROOT, build_site, package_with_defect


def ssh_keygen(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["ssh-keygen", *args], input=stdin, capture_output=True)


@pytest.fixture(scope="session")
def keyring(tmp_path_factory) -> dict[str, Path]:
    """Real OpenSSH Ed25519 keys made by ssh-keygen: a province, counties, an impostor province."""
    folder = tmp_path_factory.mktemp("keyring")
    keys = {}
    for name in ("province", "c519902", "c519902_new", "c519903", "impostor"):
        assert ssh_keygen("-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(folder / name)).returncode == 0
        keys[name] = folder / name
    return keys


def public(key: Path) -> str:
    return (key.parent / (key.name + ".pub")).read_text().strip()


def fingerprint(key: Path) -> str:
    return sshsig.fingerprint(sshsig.parse_public_line(public(key)))


def make_trust(folder: Path, keyring, lines: list[str], signer: str | None = "province", revoked=()) -> Path:
    """Write an allowed_signers file, sign it with ssh-keygen as the province would, and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    trust = folder / "allowed_signers"
    trust.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "revoked_keys").write_text("".join(public(keyring[r]) + "\n" for r in revoked), encoding="utf-8")
    if signer:
        assert ssh_keygen("-Y", "sign", "-f", str(keyring[signer]), "-n", "gongshi", str(trust)).returncode == 0
    return trust


def line(county: str, key: Path, after: str = "20200101", before: str | None = None) -> str:
    window = f'valid-after="{after}Z"' + (f',valid-before="{before}Z"' if before else "")
    return f'{county} namespaces="gongshi",{window} {public(key)}'


@pytest.fixture
def signed(tmp_path, keyring) -> Path:
    folder = shutil.copytree(GOOD, tmp_path / "519902")
    sign_package(folder, keyring["c519902"])
    return folder


def verify_codes(folder: Path, trust: Path, province: str) -> list[tuple]:
    result = CliRunner().invoke(main, ["verify", str(folder), "--allowed-signers", str(trust),
                                       "--province-key", province, "--format", "json"])
    problems = json.loads(result.output)
    assert result.exit_code == (1 if problems else 0)
    return [(p["code"], Path(p["path"]).name) for p in problems]


def test_gongshi_signature_verifies_with_ssh_keygen(signed, keyring, tmp_path):
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"])])
    result = ssh_keygen("-Y", "verify", "-f", str(trust), "-I", "519902", "-n", "gongshi",
                        "-s", str(signed / "datapackage.json.sig"), stdin=(signed / "datapackage.json").read_bytes())
    assert result.returncode == 0, result.stderr
    assert f"Good \"gongshi\" signature for 519902 with ED25519 key {fingerprint(keyring['c519902'])}" in result.stdout.decode()


def test_ssh_keygen_signature_verifies_with_gongshi(tmp_path, keyring):
    folder = shutil.copytree(GOOD, tmp_path / "519902")
    stamp(folder)
    assert ssh_keygen("-Y", "sign", "-f", str(keyring["c519902"]), "-n", "gongshi",
                      str(folder / "datapackage.json")).returncode == 0
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"])])
    assert verify_codes(folder, trust, fingerprint(keyring["province"])) == []


def test_trust_file_signed_here_verifies_with_ssh_keygen(tmp_path, keyring):
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"])], signer=None)
    assert CliRunner().invoke(main, ["sign-trust", str(trust), "--key", str(keyring["province"])]).exit_code == 0
    province_signers = tmp_path / "province_signers"
    province_signers.write_text(f'province namespaces="gongshi" {public(keyring["province"])}\n')
    result = ssh_keygen("-Y", "verify", "-f", str(province_signers), "-I", "province", "-n", "gongshi",
                        "-s", str(trust) + ".sig", stdin=trust.read_bytes())
    assert result.returncode == 0, result.stderr


def refusal(case: str, signed: Path, keyring, tmp_path) -> tuple[Path, Path, str]:
    """Set up one refusal reason; return (package, trust file, province fingerprint)."""
    province = fingerprint(keyring["province"])
    lines = [line("519902", keyring["c519902"]), line("519903", keyring["c519903"])]
    trust_signer, revoked = "province", ()
    if case == "signature-missing":
        (signed / "datapackage.json.sig").unlink()
    elif case == "signature-invalid":
        descriptor = signed / "datapackage.json"
        descriptor.write_text(descriptor.read_text(encoding="utf-8").replace("测试县", "测试具"), encoding="utf-8")
    elif case == "hash-mismatch":
        projects = signed / "projects.csv"
        projects.write_text(projects.read_text(encoding="utf-8").replace("80000.00", "88000.00"), encoding="utf-8")
    elif case == "signer-not-allowed":
        sign_package(signed, keyring["c519903"])  # another county's key
    elif case == "key-expired":
        lines[0] = line("519902", keyring["c519902"], after="20200101", before="20240101")
    elif case == "key-revoked":
        revoked = ("c519902",)
    elif case == "trust-file-unsigned":
        trust_signer = None
    elif case == "trust-file-invalid":
        trust_signer = "impostor"
    return signed, make_trust(tmp_path / "keys", keyring, lines, trust_signer, revoked), province


REFUSALS = {
    "signature-missing": [("signature-missing", "datapackage.json.sig")],
    "signature-invalid": [("signature-invalid", "datapackage.json.sig")],
    "hash-mismatch": [("hash-mismatch", "projects.csv")],
    "signer-not-allowed": [("signer-not-allowed", "datapackage.json.sig")],
    "key-expired": [("key-expired", "datapackage.json.sig")],
    "key-revoked": [("key-revoked", "datapackage.json.sig")],
    "trust-file-unsigned": [("trust-file-unsigned", "allowed_signers")],
    "trust-file-invalid": [("trust-file-invalid", "allowed_signers.sig")],
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_refusal_has_its_own_code(case, signed, keyring, tmp_path):
    package, trust, province = refusal(case, signed, keyring, tmp_path)
    assert verify_codes(package, trust, province) == REFUSALS[case]


@pytest.mark.parametrize("case", ["signature-invalid", "signer-not-allowed", "key-expired", "key-revoked"])
def test_ssh_keygen_refuses_the_same(case, signed, keyring, tmp_path):
    package, trust, _ = refusal(case, signed, keyring, tmp_path)
    result = ssh_keygen("-Y", "verify", "-f", str(trust), "-I", "519902", "-n", "gongshi",
                        "-s", str(package / "datapackage.json.sig"), "-r", str(trust.parent / "revoked_keys"),
                        stdin=(package / "datapackage.json").read_bytes())
    assert result.returncode != 0


def test_key_rotation(tmp_path, keyring):
    trust = make_trust(tmp_path / "keys", keyring, [
        line("519902", keyring["c519902"], after="20200101", before="20240101"),
        line("519902", keyring["c519902_new"], after="20240101"),
    ])
    province = fingerprint(keyring["province"])
    folder = shutil.copytree(GOOD, tmp_path / "519902")
    sign_package(folder, keyring["c519902_new"])
    assert verify_codes(folder, trust, province) == []
    sign_package(folder, keyring["c519902"])
    assert verify_codes(folder, trust, province) == [("key-expired", "datapackage.json.sig")]


def test_wrong_province_fingerprint_is_refused(signed, keyring, tmp_path):
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"])])
    assert verify_codes(signed, trust, fingerprint(keyring["impostor"])) == [("trust-file-invalid", "allowed_signers.sig")]


def test_build_publishes_only_verified_counties(tmp_path, keyring):
    data = tmp_path / "data"
    history = tmp_path / "history"
    good = shutil.copytree(GOOD, data / "519902")
    sign_package(good, keyring["c519902"])
    release(good, history, "519902", keyring["c519902"])
    bad = package_with_defect("office-phone-is-public", data / "519903")  # a clean package...
    descriptor = json.loads((bad / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["gongshi"]["county"] = "519903"
    (bad / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    for csv in bad.glob("*.csv"):
        csv.write_text(csv.read_text(encoding="utf-8").replace("519902", "519903"), encoding="utf-8")
    sign_package(bad, keyring["c519903"])
    release(bad, history, "519903", keyring["c519903"])
    units = bad / "units.csv"
    units.write_text(units.read_text(encoding="utf-8").replace("13812345678", "13812345679"), encoding="utf-8")  # ...tampered
    trust = make_trust(tmp_path / "keys", keyring, [line("519902", keyring["c519902"]), line("519903", keyring["c519903"])])
    settings = {"keys_path": str(trust.parent), "province_key_fingerprint": fingerprint(keyring["province"]),
                "history_path": str(history)}

    result = build_site(data, tmp_path / "public", allow_unsigned=False, **settings)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public" / "519902" / "index.html").is_file()
    assert "hash-mismatch" in result.stdout + result.stderr
    # The tampered submission is not published: 519903 keeps its released version, with a notice saying so.
    assert 'class="rejected"' in (tmp_path / "public" / "519903" / "index.html").read_text(encoding="utf-8")
    assert (tmp_path / "public" / "519903" / "data" / "datapackage.json").read_bytes() == \
        (history / "519903" / "1" / "datapackage.json").read_bytes()

    preview = build_site(data, tmp_path / "preview", allow_unsigned=True, **settings)
    assert preview.returncode == 0
    page = (tmp_path / "preview" / "519903" / "index.html").read_text(encoding="utf-8")
    assert "本地预览" in page and "class=\"unverified\"" in page
    assert "class=\"unverified\"" not in (tmp_path / "preview" / "519902" / "index.html").read_text(encoding="utf-8")


def test_publishconf_never_allows_unsigned():
    from pelican.settings import read_settings

    published = read_settings(str(ROOT / "publishconf.py"))["GONGSHI"]
    assert published["allow_unsigned"] is False
    assert published["province_key_fingerprint"].startswith("SHA256:")


def test_keygen_makes_an_openssh_key(tmp_path):
    result = CliRunner().invoke(main, ["keygen", "519902", "--out", str(tmp_path / "k")])
    assert result.exit_code == 0, result.output
    derived = ssh_keygen("-y", "-f", str(tmp_path / "k")).stdout.decode().split()[:2]
    assert derived == public(tmp_path / "k").split()[:2]
    signer_line = result.stdout.strip().splitlines()[-1]
    assert signer_line.startswith('519902 namespaces="gongshi",valid-after="')
    assert sshsig.parse_allowed_signers(signer_line)[0].names("519902")
    assert CliRunner().invoke(main, ["keygen", "519902", "--out", str(tmp_path / "k")]).exit_code == 2


class TestDownloads:
    """What a journalist downloads from the demo county's data page, checked with their own tools."""

    @pytest.fixture
    def download(self, demo_site, tmp_path) -> Path:
        folder = shutil.copytree(demo_site / "519901" / "data", tmp_path / "download")
        return folder

    def test_data_page_links_every_download(self, demo_site):
        html = (demo_site / "519901" / "data" / "index.html").read_text(encoding="utf-8")
        for name in ("gongshi-519901.zip", "datapackage.json.sig", "allowed_signers", "SHA256SUMS"):
            assert f'href="{name}"' in html and (demo_site / "519901" / "data" / name).is_file()
        assert "ssh-keygen -Y verify -f allowed_signers -I 519901 -n gongshi" in html
        assert "gongshi verify gongshi-519901.zip" in html

    def test_checksums_signature_and_package_verify_with_stock_tools(self, download, tmp_path):
        assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=download, capture_output=True).returncode == 0
        ok = ssh_keygen("-Y", "verify", "-f", str(download / "allowed_signers"), "-I", "519901", "-n", "gongshi",
                        "-s", str(download / "datapackage.json.sig"), stdin=(download / "datapackage.json").read_bytes())
        assert ok.returncode == 0
        with zipfile.ZipFile(download / "gongshi-519901.zip") as archive:
            archive.extractall(tmp_path / "unzipped")
        package = tmp_path / "unzipped" / "gongshi-519901"
        assert {"datapackage.json", "datapackage.json.sig", "allowed_signers", "SHA256SUMS", "projects.csv"} <= {
            p.name for p in package.iterdir()}
        # Self-contained: validates on a machine with nothing of this repository, schemas and hashes included.
        plain = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"], cwd=package,
                               capture_output=True, text=True)
        assert plain.returncode == 0, plain.stdout[-1500:]
        assert subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=package, capture_output=True).returncode == 0
        assert CliRunner().invoke(main, ["verify", str(download / "gongshi-519901.zip")]).exit_code == 0

    def test_one_changed_byte_is_caught_and_named(self, download, tmp_path):
        with zipfile.ZipFile(download / "gongshi-519901.zip") as archive:
            archive.extractall(tmp_path / "unzipped")
        package = tmp_path / "unzipped" / "gongshi-519901"
        allocations = package / "allocations.csv"
        data = bytearray(allocations.read_bytes())
        digit = data.rindex(b".00") - 1  # the last yuan digit of the last amount: one byte, still valid data
        data[digit] = ord("7") if data[digit] != ord("7") else ord("8")
        allocations.write_bytes(bytes(data))
        result = CliRunner().invoke(main, ["verify", str(package), "--format", "json"])
        assert result.exit_code == 1
        assert [(p["code"], Path(p["path"]).name) for p in json.loads(result.output)] == [("hash-mismatch", "allocations.csv")]
        text = CliRunner().invoke(main, ["verify", str(package)]).output
        assert "allocations.csv" in text and "验证失败" in text
        plain = subprocess.run([sys.executable, "-m", "frictionless", "validate", "datapackage.json"], cwd=package,
                               capture_output=True, text=True)
        assert plain.returncode != 0 and "hash-count" in plain.stdout
        sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=package, capture_output=True, text=True)
        assert sums.returncode != 0 and "allocations.csv: FAILED" in sums.stdout

    def test_a_changed_byte_in_the_signed_descriptor_fails_both_verifiers(self, download, tmp_path):
        with zipfile.ZipFile(download / "gongshi-519901.zip") as archive:
            archive.extractall(tmp_path / "unzipped")
        package = tmp_path / "unzipped" / "gongshi-519901"
        descriptor = package / "datapackage.json"
        descriptor.write_bytes(descriptor.read_bytes().replace(b'"bytes": ', b'"bytes":  ', 1))
        stock = ssh_keygen("-Y", "verify", "-f", str(package / "allowed_signers"), "-I", "519901", "-n", "gongshi",
                           "-s", str(package / "datapackage.json.sig"), stdin=descriptor.read_bytes())
        assert stock.returncode != 0
        result = CliRunner().invoke(main, ["verify", str(package), "--format", "json"])
        assert result.exit_code == 1 and [p["code"] for p in json.loads(result.output)] == ["signature-invalid"]
        assert "datapackage.json" in json.loads(result.output)[0]["message"]

    def test_trust_file_verifies_against_the_published_province_key(self, demo_site):
        keys = demo_site / "keys"
        result = ssh_keygen("-Y", "verify", "-f", str(keys / "province_allowed_signers"), "-I", "province",
                            "-n", "gongshi", "-s", str(keys / "allowed_signers.sig"),
                            stdin=(keys / "allowed_signers").read_bytes())
        assert result.returncode == 0
        from conftest import project_settings

        assert project_settings()["province_key_fingerprint"] in result.stdout.decode()
        assert project_settings()["province_key_fingerprint"] in (keys / "index.html").read_text(encoding="utf-8")
