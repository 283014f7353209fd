"""The seed's auth API by its names in ``kreyol_ia.auth``: passwords, JWT, API keys, UserManager."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import timedelta

import bcrypt
import jwt
import pytest

from kreyol_ia.auth import (
    APIKeyCreate,
    TokenData,
    UserCreate,
    UserManager,
    create_access_token,
    create_refresh_token,
    create_token_pair,
    generate_api_key,
    get_password_hash,
    hash_api_key,
    verify_api_key,
    verify_password,
    verify_token,
)
from kreyol_ia.auth.errors import AccountExists, WeakPassword
from kreyol_ia.auth.passwords import PasswordPolicyError, check_password_policy
from kreyol_ia.config import Settings, get_settings
from kreyol_ia.db import DatabaseManager, User
from kreyol_ia.db.clock import as_utc, utcnow
from tests.conftest import PASSWORD, derive


@pytest.fixture
def db(settings: Settings) -> Iterator[DatabaseManager]:
    """A DatabaseManager on the migrated SQLite file of ``settings`` (overrides conftest's)."""
    manager = DatabaseManager(settings)
    yield manager
    manager.dispose()


@pytest.fixture
def users(db: DatabaseManager, settings: Settings) -> UserManager:
    return UserManager(db, settings)


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def new_user(name: str = "alice", email: str | None = None) -> UserCreate:
    return UserCreate(username=name, email=email or f"{name}@example.org", password=PASSWORD)


# passwords


def test_new_hashes_are_salted_argon2id() -> None:
    first, second = get_password_hash(PASSWORD), get_password_hash(PASSWORD)
    assert first.startswith("$argon2id$")
    assert first != second  # a fresh salt each time
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first)
    assert verify_password(PASSWORD, second)


def test_wrong_password_and_malformed_hash_are_false() -> None:
    hashed = get_password_hash(PASSWORD)
    assert verify_password(PASSWORD + "!", hashed) is False
    assert verify_password("", hashed) is False
    assert verify_password(PASSWORD, "not a hash") is False
    assert verify_password(PASSWORD, "") is False


def test_seed_bcrypt_hashes_still_verify() -> None:
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    assert legacy.startswith("$2b$")
    assert verify_password(PASSWORD, legacy) is True
    assert verify_password("not the password", legacy) is False


def test_authenticate_rehashes_a_bcrypt_password_to_argon2id(
    users: UserManager, db: DatabaseManager
) -> None:
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    with db.session() as session:
        session.add(
            User(
                username="legacy",
                email="legacy@example.org",
                hashed_password=legacy,
                scopes="translate documents keys",
            )
        )

    assert users.authenticate_user("legacy", "wrong password here") is None
    with db.session() as session:
        assert session.get(User, "legacy").hashed_password == legacy  # no upgrade on failure

    user = users.authenticate_user("legacy", PASSWORD)
    assert user is not None and user.username == "legacy"
    assert user.last_login is not None
    with db.session() as session:
        stored = session.get(User, "legacy").hashed_password
    assert stored.startswith("$argon2id$")
    assert verify_password(PASSWORD, stored)
    assert users.authenticate_user("legacy", PASSWORD) is not None  # still signs in


def test_authenticate_refuses_unknown_wrong_and_disabled(users: UserManager) -> None:
    users.create_user(new_user())
    assert users.authenticate_user("alice", PASSWORD) is not None
    assert users.authenticate_user("alice", PASSWORD.upper()) is None
    assert users.authenticate_user("nobody", PASSWORD) is None
    users.update_user("alice", disabled=True)
    assert users.authenticate_user("alice", PASSWORD) is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "at least 10"),
        ("x" * 129, "at most 128"),
        ("my-alice-password", "username"),
        ("MyALICEpassword", "username"),
        ("abababababab", "repeated"),
        ("aaaaaaaaaaaa", "repeated"),
    ],
)
def test_password_policy_refuses_weak_passwords(
    users: UserManager, password: str, reason: str
) -> None:
    with pytest.raises(PasswordPolicyError, match=reason):
        check_password_policy(password, "alice")
    with pytest.raises(WeakPassword, match=reason):
        users.create_user(
            UserCreate.model_construct(
                username="alice", email="alice@example.org", password=password, full_name=None
            )
        )
    assert users.get_user("alice") is None


def test_password_policy_accepts_a_reasonable_password() -> None:
    check_password_policy(PASSWORD, "alice")
    check_password_policy("Zq7!" * 3, "bob")


# the seed's module constants


@pytest.fixture
def env_settings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[pytest.MonkeyPatch]:
    """Process settings from a clean environment; ``get_settings`` re-read before and after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KREYOL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("KREYOL_SECRET_KEY", "first-secret-" + "a1B2c3D4e5" * 5)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_seed_constants_decode_a_seed_token(env_settings: pytest.MonkeyPatch) -> None:
    from kreyol_ia.auth import (
        ACCESS_TOKEN_EXPIRE_MINUTES,
        ALGORITHM,
        AUDIENCE,
        ISSUER,
        REFRESH_TOKEN_EXPIRE_DAYS,
        SECRET_KEY,
    )

    token = create_access_token({"sub": "alice", "scopes": "translate"})
    claims = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM], audience=AUDIENCE)
    assert claims["sub"] == "alice" and claims["iss"] == ISSUER
    assert claims["exp"] - claims["iat"] == ACCESS_TOKEN_EXPIRE_MINUTES * 60 == 30 * 60
    assert SECRET_KEY == "first-secret-" + "a1B2c3D4e5" * 5
    assert REFRESH_TOKEN_EXPIRE_DAYS == 7
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, SECRET_KEY + "x", algorithms=[ALGORITHM], audience=AUDIENCE)


def test_seed_constants_follow_the_settings(env_settings: pytest.MonkeyPatch) -> None:
    import kreyol_ia.auth
    import kreyol_ia.auth.tokens

    first = kreyol_ia.auth.SECRET_KEY
    env_settings.setenv("KREYOL_SECRET_KEY", "second-secret-" + "z9Y8x7W6v5" * 5)
    env_settings.setenv("KREYOL_JWT_ALGORITHM", "HS512")
    env_settings.setenv("KREYOL_ACCESS_TOKEN_MINUTES", "15")
    env_settings.setenv("KREYOL_REFRESH_TOKEN_DAYS", "2")
    get_settings.cache_clear()
    for module in (kreyol_ia.auth, kreyol_ia.auth.tokens):
        assert module.SECRET_KEY == "second-secret-" + "z9Y8x7W6v5" * 5 != first
        assert module.ALGORITHM == "HS512"
        assert module.ACCESS_TOKEN_EXPIRE_MINUTES == 15
        assert module.REFRESH_TOKEN_EXPIRE_DAYS == 2
    token = create_access_token({"sub": "bob"})
    header = jwt.get_unverified_header(token)
    assert header["alg"] == kreyol_ia.auth.ALGORITHM
    assert (
        jwt.decode(
            token,
            kreyol_ia.auth.SECRET_KEY,
            algorithms=[kreyol_ia.auth.ALGORITHM],
            audience=kreyol_ia.auth.AUDIENCE,
        )["sub"]
        == "bob"
    )
    with pytest.raises(AttributeError):
        _ = kreyol_ia.auth.NOT_A_CONSTANT


# tokens


def test_access_token_lasts_30_minutes_by_default(settings: Settings) -> None:
    token = create_access_token({"sub": "alice", "scopes": "translate"}, settings=settings)
    claims = claims_of(token)
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert abs(claims["iat"] - utcnow().timestamp()) < 5
    assert verify_token(token, settings=settings) == TokenData(
        username="alice", scopes=["translate"]
    )


def test_access_token_honours_expires_delta(settings: Settings) -> None:
    token = create_access_token(
        {"sub": "alice"}, expires_delta=timedelta(minutes=5), settings=settings
    )
    claims = claims_of(token)
    assert claims["exp"] - claims["iat"] == 5 * 60
    assert verify_token(token, settings=settings) == TokenData(username="alice", scopes=[])


def test_expired_access_token_does_not_verify(settings: Settings) -> None:
    token = create_access_token(
        {"sub": "alice"}, expires_delta=timedelta(seconds=-60), settings=settings
    )
    assert verify_token(token, settings=settings) is None


def test_refresh_token_lasts_7_days_and_is_not_an_access_token(settings: Settings) -> None:
    token = create_refresh_token({"sub": "alice"}, settings=settings)
    claims = claims_of(token)
    assert claims["type"] == "refresh"
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    assert claims["fam"]
    assert verify_token(token, settings=settings) is None


@pytest.mark.parametrize("garbage", ["", "garbage", "a.b.c", "ka_" + "x" * 40])
def test_verify_token_returns_none_for_garbage(settings: Settings, garbage: str) -> None:
    assert verify_token(garbage, settings=settings) is None


def test_token_of_another_secret_does_not_verify(settings: Settings) -> None:
    other = derive(settings, secret_key="another-secret-" + "x" * 40)
    token = create_access_token({"sub": "alice"}, settings=other)
    assert verify_token(token, settings=other) is not None
    assert verify_token(token, settings=settings) is None


def test_token_pair_maps_legacy_scopes_and_carries_all_claims(settings: Settings) -> None:
    pair = create_token_pair("alice", scopes=["read", "write"], settings=settings)
    assert pair.token_type == "bearer"
    assert pair.expires_in == 30 * 60
    access, refresh = claims_of(pair.access_token), claims_of(pair.refresh_token)
    for claims in (access, refresh):
        assert {"sub", "type", "iat", "exp", "jti", "iss", "aud"} <= set(claims)
        assert claims["sub"] == "alice"
        assert claims["iss"] == settings.jwt_issuer == "kreyol-ia"
        assert claims["aud"] == settings.jwt_audience == "kreyol-ia-api"
        assert re.fullmatch(r"[0-9a-f]{32}", claims["jti"])
    assert access["type"] == "access" and refresh["type"] == "refresh"
    assert access["scopes"] == "translate documents"
    assert access["jti"] != refresh["jti"]
    assert jwt.get_unverified_header(pair.access_token)["alg"] == "HS256"
    assert verify_token(pair.access_token, settings=settings) == TokenData(
        username="alice", scopes=["translate", "documents"]
    )
    assert verify_token(pair.refresh_token, settings=settings) is None


def test_each_token_has_its_own_jti(settings: Settings) -> None:
    jtis = {
        claims_of(create_access_token({"sub": "a"}, settings=settings))["jti"] for _ in range(50)
    }
    assert len(jtis) == 50


# API keys


def test_api_keys_have_the_prefix_and_256_random_bits() -> None:
    keys = [generate_api_key() for _ in range(1000)]
    assert len(set(keys)) == 1000
    for key in keys:
        assert key.startswith("ka_")
        body = key[3:]
        assert re.fullmatch(r"[A-Za-z0-9_-]+", body)
        assert len(body) * 6 >= 256
        assert len(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))) >= 32
    # no shared structure beyond the prefix: the first random characters vary widely
    assert len({key[3:6] for key in keys}) > 900


def test_api_key_hash_round_trip_with_and_without_pepper() -> None:
    key, other = generate_api_key(), generate_api_key()
    pepper = b"server pepper"
    plain, peppered = hash_api_key(key), hash_api_key(key, pepper)
    for hashed in (plain, peppered):
        assert re.fullmatch(r"[0-9a-f]{64}", hashed)
        assert key not in hashed
    assert plain != peppered
    assert hash_api_key(key, pepper) == peppered  # deterministic, so it can be looked up
    assert verify_api_key(key, plain)
    assert verify_api_key(key, peppered, pepper)
    assert not verify_api_key(other, plain)
    assert not verify_api_key(other, peppered, pepper)
    assert not verify_api_key(key, peppered)  # the pepper is needed
    assert not verify_api_key(key, peppered, b"wrong pepper")
    assert not verify_api_key(key, peppered[:-1])  # length mismatch is False, not an error
    assert not verify_api_key(key, "")


# UserManager


def test_create_user_defaults(users: UserManager) -> None:
    created = users.create_user(
        UserCreate(username="alice", email="Alice@Example.ORG", password=PASSWORD)
    )
    assert created.email == "alice@example.org"
    assert created.role == "user" and created.tier == "free" and not created.disabled
    assert created.scopes == ["translate", "documents", "keys"]
    assert "hashed_password" not in created.model_dump()
    assert users.get_user("alice") == created


def test_create_admin_always_has_the_admin_scope(users: UserManager) -> None:
    admin = users.create_user(new_user("root"), role="admin", scopes=["translate"])
    assert admin.scopes == ["translate", "admin"]


def test_duplicate_username_is_refused(users: UserManager) -> None:
    users.create_user(new_user("alice"))
    with pytest.raises(AccountExists):
        users.create_user(new_user("alice", email="other@example.org"))
    assert users.get_user("alice").email == "alice@example.org"


def test_duplicate_email_is_refused_whatever_its_case(users: UserManager) -> None:
    users.create_user(new_user("alice", email="alice@example.org"))
    with pytest.raises(AccountExists):
        users.create_user(new_user("mallory", email="ALICE@Example.Org"))
    assert users.get_user("mallory") is None


def test_api_key_is_returned_once_and_never_listed(users: UserManager, settings: Settings) -> None:
    users.create_user(new_user())
    created = users.create_api_key("alice", APIKeyCreate(name="ci", expires_in_days=30))
    assert created.key.startswith("ka_")
    assert created.prefix == created.key[:11]
    assert created.active and created.revoked_at is None
    assert created.scopes == ["translate", "documents", "keys"]
    expected_expiry = utcnow() + timedelta(days=30)
    assert abs((as_utc(created.expires_at) - expected_expiry).total_seconds()) < 60

    listed = users.list_api_keys("alice")
    assert [item.id for item in listed] == [created.id]
    hashed = hash_api_key(created.key, settings.resolved_api_key_pepper())
    for item in listed:
        assert not hasattr(item, "key")
        dumped = item.model_dump_json()
        assert created.key not in dumped
        assert hashed not in dumped
    assert users.list_api_keys("bob") == []

    principal = users.authenticate_api_key(created.key)
    assert principal is not None and principal.username == "alice"
    assert principal.via == "api_key" and principal.key_id == created.id
    assert users.authenticate_api_key(generate_api_key()) is None


def test_api_key_scopes_are_limited_to_the_owner(users: UserManager) -> None:
    from kreyol_ia.auth.errors import ScopeNotAllowed

    users.create_user(new_user(), scopes=["translate", "keys"])
    with pytest.raises(ScopeNotAllowed):
        users.create_api_key("alice", APIKeyCreate(name="x", scopes=["documents"]))
    with pytest.raises(ScopeNotAllowed):
        users.create_api_key("alice", APIKeyCreate(name="x", scopes=["translate"]), ["keys"])
    narrow = users.create_api_key("alice", APIKeyCreate(name="x", scopes=["read"]))
    assert narrow.scopes == ["translate"]
    assert len(users.list_api_keys("alice")) == 1
