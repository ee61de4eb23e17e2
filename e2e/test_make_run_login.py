"""`make run` gives a working demo login: started as a person starts it (`python -m devstack`,
here on free ports), its banner names the staff portal and the demo accounts, and logging in
as `hanne` through the portal's login, the demo OpenID provider's Danish login page and the
BFF's callback (every redirect followed over HTTP, the provider's form posted as a browser
would) ends in the staff portal with hanne's staff session. The repository's branding folder
stays as it is (the BFF reads a copy in the data folder) and the provider's key stays there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from devstack.oidc import DEMO_LOGIN_PARTIES, secret_env
from devstack.stack import ROOT, free_port
from e2e.test_restart import start_make_run, stop


def test_make_run_logs_hanne_in_to_the_staff_portal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "run.log"
    bff_port, emulator_port, idp_port = free_port(), free_port(), free_port()
    monkeypatch.setenv("BV_IDP_PORT", str(idp_port))
    monkeypatch.delenv("BV_BRANDING_DIR", raising=False)
    for party in DEMO_LOGIN_PARTIES:
        monkeypatch.delenv(secret_env(party), raising=False)
    bff, issuer = f"http://127.0.0.1:{bff_port}", f"http://127.0.0.1:{idp_port}"
    run = start_make_run(data_dir, bff_port, emulator_port, log, BV_IDP_PORT=str(idp_port))
    try:
        banner = log.read_text()
        assert f"{bff}/kobenhavn/staff" in banner
        for account in ("hanne", "ida", "sofie"):
            assert account in banner
        with httpx.Client(timeout=15) as browser:
            start = browser.get(f"{bff}/kobenhavn/staff/login")
            assert start.status_code == 303 and start.headers["location"].startswith(issuer)
            other = browser.get(f"{bff}/region-midt/staff/login")
            assert other.status_code == 303 and other.headers["location"].startswith(issuer)

            page = browser.get(start.headers["location"], follow_redirects=True)
            assert page.status_code == 200 and str(page.url).startswith(issuer)
            assert 'lang="da"' in page.text and "demo-login" in page.text
            assert 'data-testid="idp-login"' in page.text and "hanne" in page.text
            action = re.search(r'<form method="post" action="([^"]+)"', page.text)
            assert action is not None, page.text
            done = browser.post(
                urljoin(str(page.url), action[1]), data={"login": "hanne"}, follow_redirects=True
            )
            assert str(done.url) == f"{bff}/kobenhavn/staff", done.history
            assert done.status_code == 200
            me = browser.get(f"{bff}/api/staff/v1/parties/kobenhavn/session")
            assert me.status_code == 200, me.text
            assert me.json()["roles"] == ["staff"]
            assert me.json()["name"] == "Hanne Sygeplejerske"
            # The tests' fault injection is not there in the demo.
            tamper = browser.post(f"{issuer}/test/tamper", json={"claims": {}})
            assert tamper.status_code != 204
    finally:
        stop(run)
    party = json.loads((ROOT / "branding" / "kobenhavn" / "party.json").read_text())
    assert "oidc" not in party, "the repository's branding folder is not changed"
    assert "oidc" in json.loads((data_dir / "branding" / "kobenhavn" / "party.json").read_text())
    key = data_dir / "oidc" / "signing-key.json"
    assert key.stat().st_mode & 0o077 == 0
