"""Who may see what, and the protections every request gets: tokens, CSRF, Host, Origin, headers."""

import pytest

from assembler.web.store import Store

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
