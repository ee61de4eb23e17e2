"""`make run LAN=1`: the machine's LAN address and a self-signed certificate for it.

A phone's browser allows camera and microphone only on a secure context, so over the LAN
the BFF serves HTTPS with a certificate the phone accepts once.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# A documentation address (RFC 5737): connecting a UDP socket only picks the route, sends nothing.
_ROUTE_PROBE = ("198.51.100.1", 9)
_VALIDITY = timedelta(days=365)
_RENEW_BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class TlsFiles:
    cert: Path
    key: Path


def lan_address() -> str:
    """The IPv4 address of the default-route interface; 127.0.0.1 when there is none."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.connect(_ROUTE_PROBE)
        address = str(sock.getsockname()[0])
        if not ipaddress.IPv4Address(address).is_loopback and address != "0.0.0.0":  # noqa: S104
            return address
    return "127.0.0.1"


def ensure_certificate(folder: Path, address: str) -> TlsFiles:
    """A certificate for `address`, localhost and 127.0.0.1 in `folder`: reused while it fits."""
    files = TlsFiles(folder / "cert.pem", folder / "key.pem")
    if _fits(files, address):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    files.key.touch(mode=0o600)
    files.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    files.cert.write_bytes(_certificate(key, address).public_bytes(serialization.Encoding.PEM))
    return files


def _san_addresses(address: str) -> list[str]:
    return sorted({address, "127.0.0.1"})


def _certificate(key: ec.EllipticCurvePrivateKey, address: str) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Borgervideo demo {address}")])
    now = datetime.now(UTC)
    san = x509.SubjectAlternativeName(
        [x509.DNSName("localhost")]
        + [x509.IPAddress(ipaddress.IPv4Address(ip)) for ip in _san_addresses(address)]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + _VALIDITY)
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )


def _fits(files: TlsFiles, address: str) -> bool:
    """The stored certificate exists, names `address` and is not about to expire."""
    if not (files.cert.is_file() and files.key.is_file()):
        return False
    try:
        cert = x509.load_pem_x509_certificate(files.cert.read_bytes())
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    named = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    fresh = cert.not_valid_after_utc - datetime.now(UTC) > _RENEW_BEFORE
    return fresh and set(_san_addresses(address)) <= named
