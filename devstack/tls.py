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


@dataclass(frozen=True)
class CertificateRoute:
    """A throwaway CA for the VDX certificate route in the development stack: the emulator's
    mutual-TLS listener trusts `ca` for client certificates and serves `server_*`; the BFF
    presents `client_*` (an OCES3 system certificate in production) and trusts `ca`."""

    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.touch(mode=0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


CA_NAME = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Borgervideo dev VDX CA")])


def make_certificate_route(folder: Path) -> CertificateRoute:
    """A fresh CA (its key kept beside it: issue_client_certificate), a server certificate for
    127.0.0.1/localhost and a client certificate."""
    folder.mkdir(parents=True, exist_ok=True)
    route = CertificateRoute(
        *(
            folder / n
            for n in (
                "vdx-ca.pem",
                "vdx-server.pem",
                "vdx-server-key.pem",
                "vdx-client.pem",
                "vdx-client-key.pem",
            )
        )
    )
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    _write_key(folder / "vdx-ca-key.pem", ca_key)
    ca = (
        x509.CertificateBuilder()
        .subject_name(CA_NAME)
        .issuer_name(CA_NAME)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    route.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    _issue(ca_key, route.server_cert, route.server_key, "127.0.0.1", server=True)
    _issue(ca_key, route.client_cert, route.client_key, "Borgervideo dev", server=False)
    return route


def issue_client_certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """Another client certificate from the CA in `folder` (a second system, in tests)."""
    ca_key = serialization.load_pem_private_key((folder / "vdx-ca-key.pem").read_bytes(), None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    cert, key = folder / f"{name}.pem", folder / f"{name}-key.pem"
    _issue(ca_key, cert, key, name, server=False)
    return cert, key


def _issue(
    ca_key: ec.EllipticCurvePrivateKey, cert_path: Path, key_path: Path, name: str, server: bool
) -> None:
    now = datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    _write_key(key_path, key)
    usage = ExtendedKeyUsageOID.SERVER_AUTH if server else ExtendedKeyUsageOID.CLIENT_AUTH
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(CA_NAME)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if server:
        san = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    cert_path.write_bytes(
        builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    )
