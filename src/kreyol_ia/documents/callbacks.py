"""Signed job-completion callbacks, guarded against SSRF.

A document job may name a ``callback_url``; the service POSTs a signed JSON notification there when
the job ends. The URL is user input that makes the server open a connection, so it is checked at
submission (a clear 422) and again, with a fresh DNS answer, right before every delivery attempt;
the request then connects to the very address that was checked.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import itertools
import json
import logging
import re
import socket
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import select

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, Task, User
from kreyol_ia.retry import NETWORK_ERRORS, retry_honouring_retry_after

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

INVALID = "invalid_callback_url"
FORBIDDEN = "callback_url_forbidden"
UNRESOLVABLE = "callback_url_unresolvable"

MAX_URL_LENGTH = 2048
MAX_DELAY = 60.0
USER_AGENT = "kreyol-ia-callback"
SIGNATURE_PREFIX = "sha256="
ALLOWED_SCHEMES = frozenset({"http", "https"})
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")

_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
_NUMBER = re.compile(r"0x[0-9a-f]*|[0-9]+")


class CallbackError(ValueError):
    """A callback URL the service will not call, with a stable code for the API (422)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Target:
    """A checked URL and the addresses it resolved to, every one of them allowed."""

    url: httpx.URL
    addresses: tuple[IPAddress, ...]


def validate_callback_url(url: str, allow_private: bool = False) -> str:
    """Check a callback URL at submission time and return it normalised, else CallbackError."""
    return str(_check(url, allow_private).url)


def _check(raw: str, allow_private: bool) -> _Target:
    """Parse with httpx (the parser that will send the request), then vet every address."""
    if len(raw) > MAX_URL_LENGTH:
        raise CallbackError(INVALID, f"callback_url is longer than {MAX_URL_LENGTH} characters")
    try:
        url = httpx.URL(raw)
    except httpx.InvalidURL as exc:
        raise CallbackError(INVALID, "callback_url is not a valid URL") from exc
    if url.scheme not in ALLOWED_SCHEMES:
        raise CallbackError(INVALID, "callback_url must use http or https")
    if url.userinfo:
        raise CallbackError(INVALID, "callback_url must not carry credentials")
    if url.port is not None and not 0 < url.port < 65536:
        raise CallbackError(INVALID, "callback_url has an invalid port")
    host = url.raw_host.decode("ascii")
    if not host:
        raise CallbackError(INVALID, "callback_url has no host")
    literal = _literal_address(host)
    if literal is not None:
        url = url.copy_with(host=str(literal))
        addresses: tuple[IPAddress, ...] = (literal,)
    else:
        _check_hostname(host, allow_private)
        addresses = _resolve(host, url.port or (443 if url.scheme == "https" else 80))
    if not allow_private:
        for address in addresses:
            if _is_forbidden(address):
                raise CallbackError(
                    FORBIDDEN, "callback_url points to a private or reserved network address"
                )
    return _Target(url.copy_with(fragment=None), addresses)


def _literal_address(host: str) -> IPAddress | None:
    """An IP literal in any form a resolver would accept (``127.1``, ``0x7f000001``…), or None."""
    if ":" in host:
        if "%" in host:
            raise CallbackError(INVALID, "callback_url must not name an IPv6 zone")
        try:
            return ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise CallbackError(INVALID, "callback_url has an invalid IPv6 address") from exc
    labels = host.removesuffix(".").split(".")
    if not all(_NUMBER.fullmatch(label) for label in labels):
        return None
    try:
        numbers = [_parse_number(label) for label in labels]
    except ValueError as exc:
        raise CallbackError(INVALID, "callback_url has an invalid IPv4 address") from exc
    *head, last = numbers
    if len(numbers) > 4 or any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise CallbackError(INVALID, "callback_url has an invalid IPv4 address")
    value = sum(n << (8 * (3 - i)) for i, n in enumerate(head)) + last
    return ipaddress.IPv4Address(value)


def _parse_number(label: str) -> int:
    """One inet_aton part: ``0x`` hexadecimal, leading-zero octal, or decimal."""
    if label.startswith("0x"):
        return int(label[2:] or "0", 16)
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8)
    return int(label)


def _check_hostname(host: str, allow_private: bool) -> None:
    """DNS syntax only (no escapes or spaces); ``localhost`` is refused without a lookup."""
    name = host.removesuffix(".")
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in name.split(".")):
        raise CallbackError(INVALID, "callback_url has an invalid host name")
    if not allow_private and (name == "localhost" or name.endswith(".localhost")):
        raise CallbackError(FORBIDDEN, "callback_url points to this machine")


def _resolve(host: str, port: int) -> tuple[IPAddress, ...]:
    """Every address the system resolver gives for ``host``; all of them get checked."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise CallbackError(UNRESOLVABLE, "callback_url host does not resolve") from exc
    addresses: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in answers:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise CallbackError(UNRESOLVABLE, "callback_url host does not resolve")
    return tuple(addresses)


def _is_forbidden(address: IPAddress) -> bool:
    """Anything not plainly public; IPv6 forms that embed IPv4 (mapped, NAT64, 6to4) are judged
    on the embedded address as well, since the kernel or a gateway may route them there."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and _is_forbidden(embedded):
            return True
        if address.is_site_local:
            return True
    return (
        not address.is_global
        or address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 IPv6 address."""
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour


def owner_secret(db: DatabaseManager, settings: Settings, task_id: str) -> bytes:
    """The signing key of the job owner's current callback secret (the server's for no owner).

    Read at delivery time, so a rotation takes effect for every job not yet notified.
    """
    with db.session() as session:
        found = session.execute(
            select(User.username, User.callback_key_version)
            .join(Task, Task.owner == User.username)
            .where(Task.task_id == task_id)
        ).first()
    if found is None:
        return settings.resolved_callback_secret()
    return settings.resolved_callback_secret(found.username, found.callback_key_version)


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 of ``"<timestamp>." + body`` in hex; the timestamp is signed against replays."""
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def verify_signature(
    secret: bytes,
    timestamp: int,
    body: bytes,
    signature: str,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """Receiver side: constant-time check, refusing timestamps more than ``tolerance`` s away."""
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).encode()
    return hmac.compare_digest(expected, signature.removeprefix(SIGNATURE_PREFIX).encode())


def _is_transient(error: BaseException) -> bool:
    """Worth another attempt: network trouble, 5xx/429 (raised as HTTPStatusError), DNS failure."""
    if isinstance(error, CallbackError):
        return error.code == UNRESOLVABLE
    return isinstance(error, (httpx.HTTPStatusError, *NETWORK_ERRORS))


def deliver(
    url: str,
    payload: dict[str, Any],
    secret: bytes,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_attempts: int = 5,
    initial_delay: float = 1.0,
    client: httpx.Client | None = None,
) -> bool:
    """POST ``payload`` signed to ``url``; True on 2xx, False once it failed for good.

    Each attempt resolves and checks the host again (DNS may have changed since submission, or be
    rebinding on purpose), then connects to one of the checked addresses itself: the URL's host
    is replaced by that IP while the Host header and TLS SNI/certificate check keep the original
    name. Without that pinning the client would resolve the name a second time, and a rebinding
    server could answer a private address in the gap between check and connection (TOCTOU).
    Redirects are failures, never followed; 4xx other than 429 are not retried; network errors,
    timeouts, 5xx and 429 are, with exponential backoff or the Retry-After asked (capped at
    ``MAX_DELAY``). The response body is never read. ``payload`` must carry no secrets: receivers
    log what they get. A given ``client`` must not use a proxy (the proxy would resolve the name
    itself, unchecked) nor carry default headers or cookies; its auth is not sent.
    """
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    origin = _origin(url)
    attempts = itertools.count(1)

    def attempt(http: httpx.Client) -> bool:
        number = next(attempts)
        try:
            target = _check(url, allow_private)
        except CallbackError as error:
            logger.warning("callback to %s refused (%s)", origin, error.code)
            if error.code == UNRESOLVABLE:
                raise
            return False
        address = target.addresses[(number - 1) % len(target.addresses)]
        timestamp = int(time.time())
        headers = {
            "Host": target.url.netloc.decode("ascii"),
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Kreyol-Timestamp": str(timestamp),
            "X-Kreyol-Signature": SIGNATURE_PREFIX + sign(secret, timestamp, body),
        }
        with http.stream(
            "POST",
            target.url.copy_with(host=str(address)),
            content=body,
            headers=headers,
            auth=None,
            follow_redirects=False,
            timeout=timeout,
            extensions={"sni_hostname": target.url.raw_host.decode("ascii")},
        ) as response:
            status = response.status_code
            if response.is_success:
                logger.info("callback to %s delivered (HTTP %d)", origin, status)
                return True
            logger.warning("callback to %s: attempt %d answered HTTP %d", origin, number, status)
            if status == 429 or status >= 500:
                raise httpx.HTTPStatusError(
                    f"callback answered HTTP {status}", request=response.request, response=response
                )
            return False

    retrying = retry_honouring_retry_after(
        _is_transient,
        max_attempts,
        initial_delay,
        MAX_DELAY,
        jitter=initial_delay / 2,
        name=f"callback delivery to {origin}",
    )
    own_client = client is None
    http = (
        client
        if client is not None
        else httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)
    )
    try:
        return retrying(attempt)(http)
    except (CallbackError, httpx.HTTPStatusError, *NETWORK_ERRORS) as error:
        logger.warning(
            "callback to %s abandoned after %d attempt(s) (%s)",
            origin,
            max_attempts,
            type(error).__name__,
        )
        return False
    finally:
        if own_client:
            http.close()


def _origin(url: str) -> str:
    """Scheme, host and port only, for logs: paths and queries may carry the receiver's tokens."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "<invalid url>"
    return f"{parsed.scheme}://{parsed.netloc.decode('ascii', 'replace')}"
