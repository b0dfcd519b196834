"""A self-signed certificate for the test server, to check what a client does with an HTTPS
server it cannot trust (a proxy that intercepts TLS, a local server with a home-made cert).

    context = self_signed_server_context(tmp_path)
    with OpenAITestServer(ssl_context=context) as server:  # server.base_url is https://…
        ...

The certificate is made with ``cryptography`` when it is installed (it comes with the Secret
Service keyring backend on Linux), else with the ``openssl`` command.
"""

from __future__ import annotations

import datetime
import shutil
import ssl
import subprocess
from pathlib import Path

__all__ = ["TlsUnavailable", "self_signed_server_context"]


class TlsUnavailable(RuntimeError):
    """Neither ``cryptography`` nor the ``openssl`` command can make a certificate here."""


def self_signed_server_context(directory: Path, host: str = "127.0.0.1") -> ssl.SSLContext:
    """A server-side TLS context with a fresh self-signed certificate for ``host``."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "server-cert.pem", directory / "server-key.pem"
    try:
        _write_with_cryptography(cert, key, host)
    except ImportError:
        _write_with_openssl(cert, key, host)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def _write_with_cryptography(cert_path: Path, key_path: Path, host: str) -> None:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    alt_name: x509.GeneralName
    try:
        alt_name = x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        alt_name = x509.DNSName(host)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([alt_name]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _write_with_openssl(cert_path: Path, key_path: Path, host: str) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise TlsUnavailable("neither cryptography nor the openssl command is available")
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", f"/CN={host}", "-addext", f"subjectAltName={'IP' if host[0].isdigit() else 'DNS'}:{host}",
            "-keyout", str(key_path), "-out", str(cert_path),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
