"""Who may see what, and the protections every request gets: tokens, sessions, CSRF, Host, Origin, headers,
cookies."""

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assembler.web.store import DB_NAME, SESSION_IDLE_SECONDS, Store, token_sha256

from conftest import EXAMPLE
from webforms import csrf_of, make_client, new_workspace


@pytest.fixture
def token_mode(tmp_path):
    store = Store(tmp_path)
    mine, token = store.create_workspace("Cascadia DHS")
    other, other_token = store.create_workspace("Another Agency")
    with make_client(tmp_path, auth="token") as client:
        yield client, mine.id, token, other.id, other_token


def sign_in(client, token):
    form_token = csrf_of(client.get("/").text)
    return client.post("/signin", data={"csrf": form_token, "token": token}, follow_redirects=False)


def test_a_token_opens_its_own_workspace_only(token_mode):
    client, mine, token, other, other_token = token_mode
    assert client.get(f"/w/{mine}").status_code == 401
    assert "Sign in to your workspace" in client.get("/").text
    refused = sign_in(client, "not-a-token")
    assert refused.status_code == 401 and "does not open any workspace" in refused.text
    response = sign_in(client, token)
    assert response.headers["location"] == f"/w/{mine}"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "Cascadia DHS" in client.get(f"/w/{mine}").text
    for path in (f"/w/{other}", f"/w/{other}/step/1", f"/w/{other}/plan", f"/w/{other}/answers.yaml"):
        page = client.get(path)
        assert page.status_code == 403 and "Another Agency" not in page.text, path
    assert client.get(f"/w/{other}", headers={"Authorization": f"Bearer {other_token}"}).status_code == 200
    form_token = csrf_of(client.get(f"/w/{mine}").text)
    assert client.post("/workspaces", data={"csrf": form_token, "name": "X"}).status_code == 403


def test_forms_need_the_csrf_token_of_the_session(tmp_path):
    with make_client(tmp_path) as client:
        ws, token = new_workspace(client)
        for data in ({}, {"csrf": "forged"}, {"csrf": token + "0"}):
            response = client.post(f"{ws}/step/1", data={**data, "agency.name": "X"})
            assert response.status_code == 403 and "form has expired" in response.text
        client.cookies.clear()  # another browser: the old token is not valid there
        assert client.post(f"{ws}/new", data={"csrf": token}).status_code == 403
        assert client.app.state.ctx.store.latest(client.app.state.ctx.store.workspaces()[0]) is None


def test_cross_site_posts_and_unknown_hosts_are_refused(tmp_path):
    with make_client(tmp_path) as client:
        ws, token = new_workspace(client)
        evil = client.post(f"{ws}/new", data={"csrf": token}, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403
        files = {"answers": ("a.yaml", EXAMPLE.read_bytes())}
        assert client.post("/api/packages", files=files, headers={"Origin": "http://evil.example"}).status_code == 403
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding
        assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
        big = client.post(f"{ws}/upload", content=b"x", headers={"Content-Length": str(10 * 1024 * 1024)})
        assert big.status_code == 413
        chunks = (b"x" * 65536 for _ in range(64))  # 4 MB without a Content-Length
        multipart = {"Content-Type": "multipart/form-data; boundary=b"}
        chunked = client.post("/api/packages", content=chunks, headers=multipart)
        assert chunked.status_code == 413


def test_pages_are_sent_with_a_strict_policy_and_answers_are_escaped(tmp_path):
    with make_client(tmp_path) as client:
        ws, _token = new_workspace(client, "<script>alert(1)</script>")
        page = client.get(ws)
        assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        assert client.get("/no/such/page").status_code == 404
        docs = client.get("/docs")
        assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
        assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
        assert client.get("/static/style.css").status_code == 200


def test_create_workspace_prints_a_token_that_opens_it(tmp_path):
    from click.testing import CliRunner

    from assembler.cli.commands import cli

    result = CliRunner().invoke(cli, ["serve", "--data", str(tmp_path), "--create-workspace", "Cascadia DHS"])
    assert result.exit_code == 0, result.output
    token = result.output.split("token: ")[1].split()[0]
    ws = result.output.split("workspace ")[1].split(":")[0]
    assert Store(tmp_path).workspace_for_token(token).id == ws


def sign_out(client, ws_id):
    form_token = csrf_of(client.get(f"/w/{ws_id}").text)
    return client.post("/signout", data={"csrf": form_token}, follow_redirects=False)


def test_signing_in_opens_a_session_and_no_cookie_holds_the_token(token_mode, tmp_path):
    client, mine, token, _other, _other_token = token_mode
    client.cookies.set("assembler_token", token, domain="testserver.local")  # left by a version before sessions
    response = sign_in(client, token)
    assert response.status_code == 303 and "assembler_token" not in client.cookies
    assert all(token not in cookie for cookie in response.headers.get_list("set-cookie"))
    session = client.cookies.get("assembler_signin")
    assert session and session != token and all(token not in value for value in client.cookies.values())
    stored = sqlite3.connect(tmp_path / DB_NAME).execute("SELECT id_sha256, workspace FROM sessions").fetchall()
    assert stored == [(token_sha256(session), mine)]  # the session id itself is not stored either
    assert "Cascadia DHS" in client.get(f"/w/{mine}").text
    client.cookies.set("assembler_token", token)  # the raw token as a cookie opens nothing any more
    del client.cookies["assembler_signin"]
    assert client.get(f"/w/{mine}").status_code == 401


def test_after_signing_out_the_old_cookie_opens_nothing(token_mode):
    client, mine, token, _other, _other_token = token_mode
    sign_in(client, token)
    old = client.cookies["assembler_signin"]
    response = sign_out(client, mine)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert 'assembler_signin=""' in response.headers["set-cookie"] and "assembler_signin" not in client.cookies
    assert "Sign in to your workspace" in client.get("/").text
    client.cookies.set("assembler_signin", old)  # replayed, say from a copied cookie
    assert client.get(f"/w/{mine}").status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 200  # the sign-in page, not the workspace
    assert "Sign in to your workspace" in client.get("/").text


def test_a_session_unused_for_12_hours_has_expired(token_mode, tmp_path):
    client, mine, token, _other, _other_token = token_mode
    sign_in(client, token)
    db = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    db.execute("UPDATE sessions SET seen = seen - ?", (SESSION_IDLE_SECONDS - 120,))
    assert client.get(f"/w/{mine}").status_code == 200  # used within 12 hours: still open, and refreshed
    db.execute("UPDATE sessions SET seen = seen - ?", (SESSION_IDLE_SECONDS + 1,))
    assert client.get(f"/w/{mine}").status_code == 401
    assert db.execute("SELECT COUNT(*) FROM sessions").fetchone() == (0,)


def _rotate(data, workspace):
    command = [sys.executable, "-m", "assembler", "serve", "--data", str(data), "--rotate-token", workspace]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_rotate_token_revokes_the_old_token_and_its_sessions(token_mode, tmp_path):
    client, mine, token, other, other_token = token_mode
    sign_in(client, token)
    old_session = client.cookies["assembler_signin"]
    done = _rotate(tmp_path, "Cascadia DHS")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"workspace {mine}: Cascadia DHS\n") and "not shown again" in done.stderr
    new = done.stdout.split("token: ")[1].split()[0]
    assert new != token
    builds = f"/api/workspaces/{mine}/builds"
    assert client.get(builds, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get(f"/w/{mine}").status_code == 401  # the session opened with the old token has ended
    client.cookies.clear()
    assert sign_in(client, token).status_code == 401
    assert client.get(builds, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert sign_in(client, new).headers["location"] == f"/w/{mine}"
    assert client.cookies["assembler_signin"] != old_session and client.get(f"/w/{mine}").status_code == 200
    assert client.get(f"/w/{other}", headers={"Authorization": f"Bearer {other_token}"}).status_code == 200
    again = _rotate(tmp_path, mine)  # by id
    assert again.returncode == 0 and again.stdout.split("token: ")[1].split()[0] != new


def test_rotate_token_refuses_an_unknown_or_ambiguous_workspace(tmp_path):
    store = Store(tmp_path)
    store.create_workspace("Twin")
    store.create_workspace("Twin")
    unknown = _rotate(tmp_path, "Nobody")
    assert unknown.returncode == 1 and "error: " in unknown.stderr and "'Nobody'" in unknown.stderr
    assert unknown.stdout == "" and "Traceback" not in unknown.stderr
    ambiguous = _rotate(tmp_path, "Twin")
    assert ambiguous.returncode == 1 and "2 workspaces are named 'Twin'" in ambiguous.stderr
    missing = _rotate(tmp_path / "typo", "Twin")
    assert missing.returncode == 1 and "no workspaces here" in missing.stderr and not (tmp_path / "typo").exists()


def _https_client(tmp_path, **settings):
    """A client speaking HTTPS, as a browser behind a TLS proxy does, so that Secure cookies are sent back."""
    from fastapi.testclient import TestClient

    from assembler.web import app as web

    app = web.create_app(web.Settings(data=tmp_path, auth="token", processes=False, **settings))
    return TestClient(app, base_url="https://testserver")


@pytest.mark.parametrize(
    ("settings", "secure"),
    [
        ({}, False),
        ({"host": "localhost"}, False),
        ({"host": "0.0.0.0"}, True),
        ({"host": "192.0.2.10"}, True),
        ({"ssl_certfile": Path("cert.pem"), "ssl_keyfile": Path("key.pem")}, True),
    ],
)
def test_cookies_are_secure_beyond_localhost_or_with_tls(tmp_path, settings, secure):
    _ws, token = Store(tmp_path).create_workspace("Cascadia DHS")
    with _https_client(tmp_path, **settings) as client:
        first = client.get("/")
        signed = sign_in(client, token)
        assert signed.status_code == 303 and client.get(signed.headers["location"]).status_code == 200
    for cookie in (first.headers["set-cookie"], signed.headers["set-cookie"]):
        attributes = [part.strip().lower() for part in cookie.split(";")]
        assert ("secure" in attributes) is secure, cookie
        assert "httponly" in attributes and "samesite=strict" in attributes


def test_serve_help_lists_the_tls_and_rotation_options():
    from click.testing import CliRunner

    from assembler.cli.commands import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--ssl-certfile", "--ssl-keyfile", "--rotate-token"):
        assert option in result.output


@pytest.mark.parametrize(
    ("host", "tls", "warned"),
    [("127.0.0.1", False, False), ("0.0.0.0", False, True), ("0.0.0.0", True, False)],
)
def test_serving_tokens_beyond_localhost_without_tls_warns_that_it_takes_https(
    tmp_path, monkeypatch, capsys, host, tls, warned
):
    from assembler.cli import run
    from assembler.web import app as web

    served = []
    monkeypatch.setattr(web, "serve", served.append)
    cert = tmp_path / "cert.pem"
    run.serve(host, 8000, tmp_path, "token", 1, ssl_certfile=cert if tls else None)
    err = capsys.readouterr().err
    assert served[0].ssl_certfile == (cert if tls else None) and served[0].secure_cookies is (host != "127.0.0.1")
    lines = err.splitlines()
    assert len(lines) == (1 if warned else 0), err
    if warned:
        assert "Secure" in err and "HTTPS" in err and "--ssl-certfile" in err and "nginx" in err


def test_a_key_without_a_certificate_is_refused(tmp_path):
    from assembler.cli import run
    from assembler.errors import UsageError

    with pytest.raises(UsageError, match="--ssl-keyfile needs --ssl-certfile"):
        run.serve("127.0.0.1", 8000, tmp_path, "token", 1, ssl_keyfile=tmp_path / "key.pem")
