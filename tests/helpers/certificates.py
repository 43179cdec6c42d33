"""A throwaway certificate authority and a server certificate it signed, for TLS tests.

The server certificate names ``localhost`` and ``127.0.0.1``, so a client checking the host name
(``verify-full``) accepts it for either address once it trusts the CA. Made with the
``cryptography`` package where it is installed (it comes with keyring on Linux), else with the
``openssl`` command; neither: the caller decides whether that skips or fails.

    files = make_certificates(tmp_folder)
    files.ca_cert, files.server_cert, files.server_key
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SERVER_NAMES = ("localhost", "127.0.0.1")
_VALID_FOR = dt.timedelta(days=2)  # a test run, not a year: nothing outlives the test


@dataclass(frozen=True)
class CertificateFiles:
    ca_cert: Path  # what a client is given to trust
    server_cert: Path
    server_key: Path  # unencrypted PEM: the server starts without asking for a pass phrase


def can_make_certificates() -> bool:
    return _have_cryptography() or shutil.which("openssl") is not None


def make_certificates(folder: Path, ca_name: str = "Deskapp test CA") -> CertificateFiles:
    """A new CA and a server certificate for SERVER_NAMES, as PEM files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = CertificateFiles(folder / "ca.crt", folder / "server.crt", folder / "server.key")
    if _have_cryptography():
        _with_cryptography(files, ca_name)
    else:
        _with_openssl(files, ca_name, folder)
    return files


def _have_cryptography() -> bool:
    try:
        import cryptography.x509  # noqa: F401
    except ImportError:
        return False
    return True


def _with_cryptography(files: CertificateFiles, ca_name: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, ca_name)])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_subject)
        .issuer_name(ca_subject)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + _VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(x509, cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SERVER_NAMES[0])]))
        .issuer_name(ca_subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + _VALID_FOR)
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.DNSName(SERVER_NAMES[0]),
                    x509.IPAddress(ipaddress.ip_address(SERVER_NAMES[1])),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(x509, cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    files.ca_cert.write_bytes(ca_cert.public_bytes(pem))
    files.server_cert.write_bytes(server_cert.public_bytes(pem))
    files.server_key.write_bytes(
        server_key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _key_usage(x509, *, cert_sign: bool):  # type: ignore[no-untyped-def]
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _with_openssl(files: CertificateFiles, ca_name: str, folder: Path) -> None:
    ca_key = folder / "ca.key"
    request = folder / "server.csr"
    extensions = folder / "server.ext"
    extensions.write_text(
        f"subjectAltName = DNS:{SERVER_NAMES[0]}, IP:{SERVER_NAMES[1]}\n"
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
    )
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl(
        "req",
        "-x509",
        *new_key,
        "-keyout",
        ca_key,
        "-out",
        files.ca_cert,
        "-days",
        "2",
        "-subj",
        f"/CN={ca_name}",
        "-addext",
        "basicConstraints = critical, CA:TRUE, pathlen:0",
        "-addext",
        "keyUsage = critical, keyCertSign, cRLSign",
    )
    _openssl(
        "req",
        *new_key,
        "-keyout",
        files.server_key,
        "-out",
        request,
        "-subj",
        f"/CN={SERVER_NAMES[0]}",
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        request,
        "-CA",
        files.ca_cert,
        "-CAkey",
        ca_key,
        "-CAcreateserial",
        "-out",
        files.server_cert,
        "-days",
        "2",
        "-extfile",
        extensions,
    )


def _openssl(*args: str | Path) -> None:
    done = subprocess.run(
        ["openssl", *map(str, args)], capture_output=True, text=True, timeout=60, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr}")
