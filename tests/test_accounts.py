"""Staff accounts that resist guessing: password validators, sign-in throttling (catalog database, or
Redis shared by every web node), and API tokens with scopes, expiry, listing and revocation."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from fonds.api.models import ApiToken
from fonds.api.tokens import TokenError, create_token, row_for
from fonds.archive import roles
from fonds.archive.roles import create_user
from tests.conftest import SEED, database_url, free_port, require

pytestmark = pytest.mark.django_db
GOOD = "a long and unusual passphrase"
DOC = SEED.stem


# ---- passwords ------------------------------------------------------------------------------------

@pytest.mark.parametrize("password, reason", [("x", "too short"), ("12345678901234", "entirely numeric"),
                                              ("password12345", "too common"), ("grace-hopper-1906", "too similar")])
def test_weak_passwords_are_refused_and_change_nothing(password, reason):
    with pytest.raises(ValueError, match=reason):
        create_user("grace-hopper-1906", password)
    assert not get_user_model().objects.filter(username="grace-hopper-1906").exists()


def test_cli_user_create_applies_the_validators(cli):
    refused = cli("user", "create", "ada", input="short\n")
    assert refused.returncode == 2 and "too short" in refused.stderr and "at least 12 characters" in refused.stderr
    assert cli("user", "create", "ada", input=f"{GOOD}\n").returncode == 0


# ---- sign-in throttling ---------------------------------------------------------------------------------

def _sign_in(client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "ada", "password": password})


def test_repeated_failed_sign_ins_lock_the_account_in_the_database(client):
    from axes.models import AccessAttempt
    from axes.utils import reset

    create_user("ada", GOOD)
    for _ in range(4):
        assert _sign_in(client, "wrong guess").status_code == 200  # the form again, with its error
    assert _sign_in(client, "wrong guess").status_code == 429  # the fifth failure (login_failure_limit)
    locked = _sign_in(client, GOOD)  # even the right password, until the lockout ends
    assert locked.status_code == 429 and b"locked" in locked.content.lower()
    assert AccessAttempt.objects.filter(username="ada").exists()
    reset(username="ada")  # what `fonds user unlock ada` does
    assert _sign_in(client, GOOD).status_code == 302


def test_cli_user_unlock(cli, client):
    create_user("ada", GOOD)
    for _ in range(5):
        _sign_in(client, "wrong guess")
    assert _sign_in(client, GOOD).status_code == 429
    result = cli("user", "unlock", "ada", check=True)
    assert "may sign in again" in result.stderr
    assert _sign_in(client, GOOD).status_code == 302


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of this test's own (Debian's redis-server on a free port), so nothing depends
    on a service being up or shares its keys; missing redis-server skips, or fails in CI."""
    import shutil

    import redis

    require(shutil.which("redis-server") is not None, "redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


def test_throttling_uses_redis_when_configured(transactional_db, tmp_path, redis_url):
    """A real server with redis_url set: failures are counted in Redis (no rows in the catalog) and
    the third failure locks the user out."""
    import redis as redis_client
    from axes.models import AccessAttempt

    url = redis_url
    redis = redis_client.Redis.from_url(url)
    create_user("ada", GOOD)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "FONDS_HOME": str(tmp_path / "home"),
           "FONDS_REDIS_URL": url, "FONDS_LOGIN_FAILURE_LIMIT": "3"}
    server = subprocess.Popen([sys.executable, "-m", "fonds", "serve", "--port", str(port), "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base = f"http://127.0.0.1:{port}/admin/login/"

        def attempt(password: str) -> int:
            deadline = time.monotonic() + 30
            while True:
                try:
                    page = opener.open(base, timeout=5).read().decode()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.3)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            data = urllib.parse.urlencode({"username": "ada", "password": password, "csrfmiddlewaretoken": token,
                                           "next": "/admin/"}).encode()
            request = urllib.request.Request(base, data=data, headers={"Referer": base})
            try:
                return opener.open(request, timeout=5).status
            except urllib.error.HTTPError as error:
                return error.code

        assert [attempt("wrong guess") for _ in range(3)] == [200, 200, 429]
        assert attempt(GOOD) == 429
        assert any(b"axes" in key for key in redis.keys("*"))
        assert not AccessAttempt.objects.exists()
    finally:
        server.terminate()
        server.wait(30)


# ---- API tokens -------------------------------------------------------------------------------------------

def _patch(client, token: str, title: str = "Edited"):
    return client.patch(f"/api/documents/{DOC}", {"title": title}, content_type="application/json",
                        headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def staff():
    return create_user("ada", GOOD)


def test_token_create_never_changes_a_role_silently(staff):
    with pytest.raises(TokenError, match="no user 'nobody'"):
        create_token("nobody")
    assert not get_user_model().objects.filter(username="nobody").exists()
    reader = get_user_model().objects.create_user("reader", password=None)
    with pytest.raises(TokenError, match="holds no role"):
        create_token("reader")
    reader.refresh_from_db()
    assert not reader.is_staff and not ApiToken.objects.filter(user=reader).exists()
    create_token("reader", role=roles.READER)  # explicit
    reader.refresh_from_db()
    assert reader.is_staff and roles.role_of(reader) == roles.READER
    assert row_for(create_token("ada")).user == staff


def test_a_read_token_cannot_write(client, sample_catalog, staff):
    token = create_token("ada", scope="read")
    response = _patch(client, token)
    assert response.status_code == 403 and "may only read" in response.json()["detail"]
    assert _patch(client, create_token("ada", scope="write")).status_code == 200


def test_expired_revoked_and_unknown_tokens_are_refused_with_the_reason(client, sample_catalog, staff):
    from fonds.api.tokens import revoke

    expired = create_token("ada", days=1)
    ApiToken.objects.filter(pk=row_for(expired).pk).update(expires=timezone.now() - timedelta(minutes=1))
    response = _patch(client, expired)
    assert response.status_code == 401 and "expired on" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    revoked = create_token("ada")
    assert _patch(client, revoked).status_code == 200
    assert revoke([row_for(revoked).pk]) == 1
    response = _patch(client, revoked, "Again")
    assert response.status_code == 401 and "revoked on" in response.json()["detail"]
    assert _patch(client, "not-a-token").json()["detail"] == "unknown API token"


def test_tokens_expire_after_the_setting_unless_told(staff, monkeypatch):
    from fonds.settings import get_settings

    monkeypatch.setattr(get_settings(), "api_token_days", 30)
    row = row_for(create_token("ada"))
    assert timedelta(days=29) < row.expires - timezone.now() <= timedelta(days=30)
    assert row_for(create_token("ada", days=0)).expires is None


def test_cli_token_create_list_and_revoke(cli, client, sample_catalog):
    refused = cli("token", "create", "archivist")
    assert refused.returncode == 2 and "no user 'archivist'" in refused.stderr and "--role ROLE" in refused.stderr
    cli("user", "create", "archivist", input=f"{GOOD}\n", check=True)
    made = cli("token", "create", "archivist", "--scope", "read", "--days", "7", "--label", "nightly export", check=True)
    token = made.stdout.strip()
    assert "(read)" in made.stderr and "valid until" in made.stderr
    listing = cli("token", "list", check=True).stdout
    assert token not in listing
    [line] = [line for line in listing.splitlines() if "nightly export" in line]
    token_id, user, scope, status = line.split("\t")[:4]
    assert (user, scope, status) == ("archivist", "read", "active")
    assert cli("token", "revoke", token_id, check=True).stderr.startswith("1 token revoked")
    assert "\trevoked\t" in cli("token", "list", "--user", "archivist", check=True).stdout
    assert _patch(client, token).status_code == 401
    assert cli("token", "revoke", token_id).returncode == 1  # nothing left to revoke


def test_tokens_are_listed_and_revoked_in_the_admin(client, staff):
    admin = create_user("root", "another long passphrase", role=roles.ADMINISTRATOR)
    token = create_token("ada", label="harvest script")
    client.force_login(admin)
    page = client.get("/admin/fonds_api/apitoken/")
    assert page.status_code == 200 and b"harvest script" in page.content and b"active" in page.content
    pk = row_for(token).pk
    done = client.post("/admin/fonds_api/apitoken/", {"action": "revoke_tokens", "_selected_action": [pk]}, follow=True)
    assert done.status_code == 200 and row_for(token).status == "revoked"
    assert client.get("/admin/fonds_api/apitoken/add/").status_code == 403
