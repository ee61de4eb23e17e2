"""The demo EOJ page: booking form, signed launch redirect, missing key."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from devstack.stack import ROOT

PUBLIC_KEY = ROOT / "branding" / "kobenhavn" / "eoj-demo-public.pem"


def verified(token: str) -> jwt.Token:
    """`token` with its ES256 signature checked against the demo EOJ's public key."""
    return jwt.decode(token, ECKey.import_key(PUBLIC_KEY.read_bytes()), algorithms=["ES256"])


def test_page_shows_form_and_outbox(emulator: str) -> None:
    res = httpx.get(f"{emulator}/eoj/")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert 'lang="da"' in res.text
    assert "12 34 56 78" in res.text  # a local number, as staff type it
    assert "Udbakke" in res.text or "udbakke" in res.text


def test_launch_redirects_with_signed_jwt(emulator: str) -> None:
    res = httpx.get(f"{emulator}/eoj/launch/m-123", params={"name": "Sygeplejerske Hanne"})
    assert res.status_code == 303
    target = urlsplit(res.headers["location"])
    assert target.path == "/kobenhavn/launch"
    token = parse_qs(target.query)["token"][0]
    launch = verified(token)
    jwt.JWTClaimsRegistry().validate(launch.claims)  # exp, nbf and iat hold now
    claims = launch.claims
    assert launch.header["kid"] == "nexus-demo-1"
    assert claims["iss"] == "https://eoj.demo.localhost"
    assert claims["aud"] == "borgervideo:kobenhavn"
    assert claims["meeting_id"] == "m-123"
    assert claims["name"] == "Sygeplejerske Hanne"
    assert 0 < claims["exp"] - claims["iat"] <= 120
    again = httpx.get(f"{emulator}/eoj/launch/m-123", params={"name": "Sygeplejerske Hanne"})
    token2 = parse_qs(urlsplit(again.headers["location"]).query)["token"][0]
    assert verified(token2).claims["jti"] != claims["jti"]


def test_booking_reports_unreachable_bff(emulator: str) -> None:
    form = {
        "subject": "Opfølgning",
        "start": "2026-11-25T10:00",
        "end": "2026-11-25T11:00",
        "staff_name": "Hanne",
        "guest_name": "Borger",
        "guest_phone": "+4512345678",
    }
    res = httpx.post(f"{emulator}/eoj/book", data=form)
    assert res.status_code == 502
    assert "Borgervideo svarer ikke" in res.text
    res = httpx.post(f"{emulator}/eoj/book", data=form | {"subject": ""})
    assert res.status_code == 400
    assert "subject" in res.text


def test_missing_key_is_explained(short_ttl_emulator: str) -> None:
    page = httpx.get(f"{short_ttl_emulator}/eoj/")
    assert "Demo-nøglen mangler" in page.text
    res = httpx.get(f"{short_ttl_emulator}/eoj/launch/m-1", params={"name": "Hanne"})
    assert res.status_code == 503
    assert "Demo-nøglen mangler" in res.text
