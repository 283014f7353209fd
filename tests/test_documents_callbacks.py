"""Callback URLs: SSRF validation, HMAC signatures, delivery against a real local HTTP server."""

from __future__ import annotations

import ipaddress
import json
import logging
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from kreyol_ia.documents.callbacks import (
    FORBIDDEN,
    INVALID,
    UNRESOLVABLE,
    CallbackError,
    deliver,
    sign,
    validate_callback_url,
    verify_signature,
)

SECRET = b"callback-secret-for-tests-0123456789"
PAYLOAD = {"job_id": "job-42", "status": "succeeded", "pages": 3, "note": "Bonjou, sa k pase?"}
PUBLIC_V4 = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"
FAST = {"initial_delay": 0.01, "timeout": 2.0}

_real_getaddrinfo = socket.getaddrinfo


class FakeDNS:
    """Stands in for the resolver (the machine has no network): names map to chosen addresses.

    IP literals go to the real resolver, which never leaves the machine for them, so httpx can
    still connect to the local test server.
    """

    def __init__(self) -> None:
        self.records: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def set(self, host: str, *answers: list[str]) -> None:
        """Each call to resolve ``host`` returns the next answer; the last one repeats."""
        self.records[host] = list(answers)

    def getaddrinfo(self, host: str, port: object, *args: object, **kwargs: object) -> list:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return _real_getaddrinfo(host, port, *args, **kwargs)
        self.lookups.append(host)
        answers = self.records.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        result = []
        for address in addresses:
            if ":" in address:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return result


@pytest.fixture(autouse=True)
def dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


# --- validation -------------------------------------------------------------------------------


def test_public_hostname_is_accepted_and_normalised(dns: FakeDNS) -> None:
    dns.set("hooks.partner.test", [PUBLIC_V4, PUBLIC_V6])
    url = "HTTPS://Hooks.Partner.test:443/done?job=42#ignored"
    assert validate_callback_url(url) == "https://hooks.partner.test/done?job=42"
    assert dns.lookups == ["hooks.partner.test"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"http://{PUBLIC_V4}:8080/cb", f"http://{PUBLIC_V4}:8080/cb"),
        (f"https://[{PUBLIC_V6.upper()}]/cb", f"https://[{PUBLIC_V6}]/cb"),
        ("http://1572395042/cb", f"http://{PUBLIC_V4}/cb"),
        ("http://0x5d.0270.55330/cb", f"http://{PUBLIC_V4}/cb"),
    ],
)
def test_public_literals_are_accepted_without_dns(dns: FakeDNS, url: str, expected: str) -> None:
    assert validate_callback_url(url) == expected
    assert dns.lookups == []


def test_integer_forms_are_normalised_to_what_will_be_dialled() -> None:
    assert validate_callback_url("http://2130706433/", allow_private=True) == "http://127.0.0.1/"
    assert validate_callback_url("http://0x7f.1/", allow_private=True) == "http://127.0.0.1/"


FORBIDDEN_URLS = [
    "http://127.0.0.1/",
    "http://127.0.0.1.:8000/",
    "http://[::1]/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://017700000001/",
    "http://10.0.0.1/",
    "http://10.255.255.255:8080/",
    "http://172.16.0.1/",
    "http://172.31.255.254/",
    "http://192.168.1.1/",
    "http://[fc00::1]/",
    "http://[fd12:3456:789a::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.1.1/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/",
    "http://100.64.0.1/",
    "http://224.0.0.1/",
    "http://[ff02::1]/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
]


@pytest.mark.parametrize("url", FORBIDDEN_URLS)
def test_internal_addresses_are_refused(dns: FakeDNS, url: str) -> None:
    with pytest.raises(CallbackError) as caught:
        validate_callback_url(url)
    assert caught.value.code == FORBIDDEN
    assert dns.lookups == []


@pytest.mark.parametrize("host", ["localhost", "LocalHost.", "api.localhost"])
def test_localhost_names_are_refused_without_a_lookup(dns: FakeDNS, host: str) -> None:
    with pytest.raises(CallbackError) as caught:
        validate_callback_url(f"http://{host}:8000/cb")
    assert caught.value.code == FORBIDDEN
    assert dns.lookups == []


@pytest.mark.parametrize(
    "answer",
    [
        [PUBLIC_V4, "10.0.0.5"],
        ["127.0.0.1"],
        [PUBLIC_V6, "fd00::1"],
        [PUBLIC_V4, "169.254.169.254"],
        ["::ffff:7f00:1"],
    ],
)
def test_a_name_is_refused_when_any_address_is_internal(dns: FakeDNS, answer: list[str]) -> None:
    dns.set("mixed.partner.test", answer)
    with pytest.raises(CallbackError) as caught:
        validate_callback_url("https://mixed.partner.test/cb")
    assert caught.value.code == FORBIDDEN


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://files.partner.test/x",
        "gopher://127.0.0.1:6379/_FLUSHALL",
        "javascript:alert(1)",
        "dict://partner.test:11211/stat",
        "//hooks.partner.test/cb",
        "http://user:pass@hooks.partner.test/cb",
        "https://token@hooks.partner.test/cb",
        "http://hooks.partner.test\\@127.0.0.1/cb",
        "http:///cb",
        "http://",
        "",
        "http://hooks.partner.test:0/",
        "http://hooks.partner.test:65536/",
        "http://hooks.partner.test:99999/",
        "http://hooks.partner.test:-1/",
        "http://hooks.partner.test:http/",
        "http://hooks partner.test/",
        "http://127.0.0.%31/",
        "http://1.2.3.4.5/",
        "http://256.1.1.1/",
        "http://[fe80::1%25eth0]/",
        "http://hooks.partner.test/\n",
        "https://hooks.partner.test/" + "a" * 2048,
    ],
)
def test_malformed_urls_are_invalid(dns: FakeDNS, url: str) -> None:
    dns.set("hooks.partner.test", [PUBLIC_V4])
    with pytest.raises(CallbackError) as caught:
        validate_callback_url(url)
    assert caught.value.code == INVALID
    assert isinstance(caught.value, ValueError)
    assert caught.value.message


def test_unknown_host_is_unresolvable(dns: FakeDNS) -> None:
    with pytest.raises(CallbackError) as caught:
        validate_callback_url("https://nowhere.partner.test/cb")
    assert caught.value.code == UNRESOLVABLE


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/cb", "http://[::1]/", "http://10.1.2.3/", "http://2130706433/"]
)
def test_allow_private_accepts_internal_literals(url: str) -> None:
    assert validate_callback_url(url, allow_private=True)


def test_allow_private_accepts_internal_names(dns: FakeDNS) -> None:
    dns.set("mixed.partner.test", [PUBLIC_V4, "10.0.0.5"])
    dns.set("localhost", ["127.0.0.1"])
    assert validate_callback_url("https://mixed.partner.test/cb", allow_private=True)
    assert validate_callback_url("http://localhost:9000/cb", allow_private=True)


def test_allow_private_keeps_the_other_rules() -> None:
    for url in ("file:///etc/passwd", "http://u:p@127.0.0.1/", "http://127.0.0.1:0/"):
        with pytest.raises(CallbackError):
            validate_callback_url(url, allow_private=True)


# --- signatures -------------------------------------------------------------------------------


def test_signature_round_trip() -> None:
    body = json.dumps(PAYLOAD).encode()
    signature = sign(SECRET, 1_700_000_000, body)
    assert len(signature) == 64
    assert verify_signature(SECRET, 1_700_000_000, body, signature, now=1_700_000_010)
    assert verify_signature(SECRET, 1_700_000_000, body, "sha256=" + signature, now=1_700_000_010)


def test_signature_refuses_wrong_secret_tampering_and_garbage() -> None:
    body = b'{"job_id":"job-42"}'
    signature = sign(SECRET, 1_700_000_000, body)
    now = 1_700_000_000
    assert not verify_signature(b"another-secret", 1_700_000_000, body, signature, now=now)
    assert not verify_signature(SECRET, 1_700_000_000, body + b" ", signature, now=now)
    assert not verify_signature(SECRET, 1_700_000_001, body, signature, now=now)
    assert not verify_signature(SECRET, 1_700_000_000, body, signature[:-1], now=now)
    assert not verify_signature(SECRET, 1_700_000_000, body, "sha256=zz…", now=now)


def test_signature_refuses_stale_and_future_timestamps() -> None:
    body = b"{}"
    signature = sign(SECRET, 1_700_000_000, body)
    assert verify_signature(SECRET, 1_700_000_000, body, signature, now=1_700_000_299)
    assert not verify_signature(SECRET, 1_700_000_000, body, signature, now=1_700_000_301)
    assert not verify_signature(SECRET, 1_700_000_000, body, signature, now=1_699_999_000)
    assert not verify_signature(
        SECRET, 1_700_000_000, body, signature, tolerance=10, now=1_700_000_011
    )
    fresh = int(time.time())
    assert verify_signature(SECRET, fresh, body, sign(SECRET, fresh, body))


# --- delivery against a real HTTP server ------------------------------------------------------


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    signature_ok: bool


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 whose answers each test scripts per path."""

    server: ThreadingHTTPServer
    scheme: str = "http"
    hits: list[Hit] = field(default_factory=list)
    scripts: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    server_names: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def on(self, path: str, *answers: tuple[int, dict[str, str]]) -> None:
        self.scripts[path] = list(answers)

    def hits_on(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path.split("?")[0] == path]


def _handler(receiver: Callable[[], Receiver]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state = receiver()
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            path = self.path.split("?")[0]
            state.hits.append(
                Hit(
                    self.path,
                    dict(self.headers.items()),
                    body,
                    time.monotonic(),
                    verify_signature(
                        SECRET,
                        int(self.headers.get("X-Kreyol-Timestamp", "0")),
                        body,
                        self.headers.get("X-Kreyol-Signature", ""),
                    ),
                )
            )
            time.sleep(state.delays.get(path, 0.0))
            script = state.scripts.get(path, [])
            status, headers = script.pop(0) if script else (204, {})
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the client gave up waiting (timeout tests)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


def _serve(context: ssl.SSLContext | None = None) -> Iterator[Receiver]:
    holder: list[Receiver] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(lambda: holder[0]))
    server.handle_error = lambda *_args: None  # type: ignore[method-assign]
    receiver = Receiver(server)
    if context is not None:
        context.sni_callback = lambda _sock, name, _ctx: receiver.server_names.append(name)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        receiver.scheme = "https"
    holder.append(receiver)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield receiver
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from _serve()


def test_delivery_succeeds_with_a_signature_the_receiver_verifies(receiver: Receiver) -> None:
    assert deliver(receiver.url("/hook"), PAYLOAD, SECRET, allow_private=True, **FAST)
    [hit] = receiver.hits
    assert hit.signature_ok
    assert json.loads(hit.body) == PAYLOAD
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.headers["User-Agent"] == "kreyol-ia-callback"
    assert hit.headers["X-Kreyol-Signature"].startswith("sha256=")
    assert hit.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert "Authorization" not in hit.headers and "Cookie" not in hit.headers


def test_server_errors_are_retried_then_delivered(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    receiver.on("/hook", (500, {}), (503, {}))
    url = receiver.url("/hook?token=receiver-private-token")
    with caplog.at_level(logging.WARNING):
        assert deliver(url, PAYLOAD, SECRET, allow_private=True, **FAST)
    hits = receiver.hits_on("/hook")
    assert len(hits) == 3
    assert all(hit.signature_ok for hit in hits)
    assert "HTTP 500" in caplog.text and "HTTP 503" in caplog.text
    assert SECRET.decode() not in caplog.text
    assert "receiver-private-token" not in caplog.text
    for hit in hits:
        assert hit.headers["X-Kreyol-Signature"].removeprefix("sha256=") not in caplog.text


def test_too_many_requests_waits_for_retry_after(receiver: Receiver) -> None:
    receiver.on("/hook", (429, {"Retry-After": "1"}))
    assert deliver(receiver.url("/hook"), PAYLOAD, SECRET, allow_private=True, **FAST)
    first, second = receiver.hits
    assert second.at - first.at >= 0.95


def test_client_error_is_permanent(receiver: Receiver) -> None:
    receiver.on("/hook", (400, {}), (400, {}))
    assert not deliver(receiver.url("/hook"), PAYLOAD, SECRET, allow_private=True, **FAST)
    assert len(receiver.hits) == 1


def test_redirect_is_a_failure_and_never_followed(receiver: Receiver) -> None:
    receiver.on("/hook", (302, {"Location": receiver.url("/inside")}))
    assert not deliver(receiver.url("/hook"), PAYLOAD, SECRET, allow_private=True, **FAST)
    assert len(receiver.hits_on("/hook")) == 1
    assert receiver.hits_on("/inside") == []


def test_redirect_is_not_followed_with_a_caller_client(receiver: Receiver) -> None:
    receiver.on("/hook", (307, {"Location": receiver.url("/inside")}))
    with httpx.Client(follow_redirects=True) as client:
        assert not deliver(
            receiver.url("/hook"), PAYLOAD, SECRET, allow_private=True, client=client, **FAST
        )
    assert receiver.hits_on("/inside") == []


def test_hanging_receiver_times_out_retries_then_gives_up(receiver: Receiver) -> None:
    receiver.delays["/slow"] = 1.0
    started = time.monotonic()
    delivered = deliver(
        receiver.url("/slow"),
        PAYLOAD,
        SECRET,
        allow_private=True,
        timeout=0.2,
        max_attempts=2,
        initial_delay=0.01,
    )
    assert not delivered
    assert len(receiver.hits) == 2
    assert time.monotonic() - started < 1.5


def test_refused_connection_is_retried_then_false() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    assert not deliver(url, PAYLOAD, SECRET, allow_private=True, max_attempts=2, **FAST)


def test_loopback_is_refused_before_any_request(receiver: Receiver) -> None:
    assert not deliver(receiver.url("/hook"), PAYLOAD, SECRET, **FAST)
    assert receiver.hits == []


def test_dns_rebinding_after_submission_is_caught(receiver: Receiver, dns: FakeDNS) -> None:
    dns.set("rebind.partner.test", [PUBLIC_V4], ["127.0.0.1"])
    url = receiver.url("/hook", host="rebind.partner.test")
    assert validate_callback_url(url)
    assert not deliver(url, PAYLOAD, SECRET, **FAST)
    assert receiver.hits == []


def test_delivery_connects_to_the_checked_address_keeping_the_host(
    receiver: Receiver, dns: FakeDNS
) -> None:
    dns.set("hooks.partner.test", ["127.0.0.1"])
    url = receiver.url("/hook", host="hooks.partner.test")
    assert deliver(url, PAYLOAD, SECRET, allow_private=True, **FAST)
    [hit] = receiver.hits
    assert hit.headers["Host"] == f"hooks.partner.test:{receiver.port}"
    assert dns.lookups == ["hooks.partner.test"]  # resolved once, by the check; never again


def test_unresolvable_host_is_retried_then_false(receiver: Receiver, dns: FakeDNS) -> None:
    url = receiver.url("/hook", host="late.partner.test")
    assert not deliver(url, PAYLOAD, SECRET, allow_private=True, max_attempts=2, **FAST)
    assert dns.lookups == ["late.partner.test", "late.partner.test"]


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[tuple[Receiver, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=hooks.partner.test",
            "-addext", "subjectAltName=DNS:hooks.partner.test",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    for receiver in _serve(context):
        yield receiver, cert


def test_https_pinning_keeps_sni_and_certificate_check_on_the_name(
    tls_receiver: tuple[Receiver, Path], dns: FakeDNS
) -> None:
    receiver, cert = tls_receiver
    dns.set("hooks.partner.test", ["127.0.0.1"])
    dns.set("other.partner.test", ["127.0.0.1"])
    trust = ssl.create_default_context(cafile=str(cert))
    trust.verify_flags &= ~ssl.VERIFY_X509_STRICT
    with httpx.Client(verify=trust) as client:
        good = receiver.url("/hook", host="hooks.partner.test")
        assert deliver(good, PAYLOAD, SECRET, allow_private=True, client=client, **FAST)
        wrong = receiver.url("/hook", host="other.partner.test")
        assert not deliver(
            wrong, PAYLOAD, SECRET, allow_private=True, client=client, max_attempts=1, **FAST
        )
    [hit] = receiver.hits
    assert hit.signature_ok
    assert hit.headers["Host"] == f"hooks.partner.test:{receiver.port}"
    assert receiver.server_names[0] == "hooks.partner.test"
