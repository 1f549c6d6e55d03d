"""Email digests against a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from test_alerts_support import NOW, add_finding, later, make_config

from alerts import build_due_digests, deliver_pending
from store import outbox

PASSWORD = "s3cret-smtp-password"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, auth_require_tls=False,
                            authenticator=authenticate)
    controller.start()
    yield inbox, port
    controller.stop()


def _config(tmp_path, port, **smtp):
    return make_config(tmp_path, recipients=[{"name": "redaksi", "email": ["redaksi@example.org", "data@example.org"]}],
                       smtp={"host": "127.0.0.1", "port": port, "security": "none",
                             "sender": "pantau <pantau@example.org>", "timeout_seconds": 5.0, **smtp})


def test_multipart_message_arrives_with_stable_message_id(tmp_path, store, smtp_server, monkeypatch):
    inbox, port = smtp_server
    monkeypatch.setenv("PANTAU_TEST_SMTP_PASSWORD", PASSWORD)
    config = _config(tmp_path, port, username="pantau", password_env="PANTAU_TEST_SMTP_PASSWORD")
    add_finding(store, title="UMKM <b>online</b> & sinyal")
    digest = build_due_digests(store, config, NOW)[0]
    assert deliver_pending(store, config, NOW).sent == 1
    assert len(inbox.messages) == 1
    mail_from, rcpt_tos, raw = inbox.messages[0]
    assert mail_from == "pantau@example.org" and rcpt_tos == ["redaksi@example.org", "data@example.org"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Message-ID"] == f"<pantau-digest-{digest.id}.redaksi@example.org>"
    assert message["Subject"] == "[pantau] 1 angka baru, 0 revisi"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "[4,6 juta UMKM]" in text and "UMKM <b>online</b> & sinyal" in text
    assert "<mark>4,6 juta UMKM</mark>" in html and "UMKM &lt;b&gt;online&lt;/b&gt; &amp; sinyal" in html
    assert outbox.delivery_counts(store)["sent"] == 1


def test_refused_then_recovering_delivers_once(tmp_path, store, caplog, monkeypatch):
    port = free_port()  # nothing listens yet: connections are refused
    monkeypatch.setenv("PANTAU_TEST_SMTP_PASSWORD", PASSWORD)
    config = _config(tmp_path, port, username="pantau", password_env="PANTAU_TEST_SMTP_PASSWORD")
    add_finding(store)
    build_due_digests(store, config, NOW)
    with caplog.at_level(logging.DEBUG):
        report = deliver_pending(store, config, NOW)
    assert report.retrying == 1
    row = store.db["deliveries"].get(1)
    assert row["status"] == "pending" and "ConnectionRefusedError" in row["last_error"]
    assert PASSWORD not in caplog.text and PASSWORD not in row["last_error"]

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, auth_require_tls=False,
                            authenticator=authenticate)
    controller.start()
    try:
        assert deliver_pending(store, config, later(0.5)).sent == 0  # backoff: not due yet
        assert deliver_pending(store, config, later(1)).sent == 1
        assert deliver_pending(store, config, later(10)).sent == 0
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_starttls_required_but_not_offered_is_a_clear_retryable_error(tmp_path, store, smtp_server):
    _, port = smtp_server
    config = _config(tmp_path, port, security="starttls")
    add_finding(store)
    build_due_digests(store, config, NOW)
    assert deliver_pending(store, config, NOW).retrying == 1
    assert "STARTTLS" in store.db["deliveries"].get(1)["last_error"]


def test_missing_password_variable_names_the_variable(tmp_path, store, smtp_server, monkeypatch):
    _, port = smtp_server
    monkeypatch.delenv("PANTAU_TEST_NO_SUCH_VAR", raising=False)
    config = _config(tmp_path, port, username="pantau", password_env="PANTAU_TEST_NO_SUCH_VAR")
    add_finding(store)
    build_due_digests(store, config, NOW)
    deliver_pending(store, config, NOW)
    assert "PANTAU_TEST_NO_SUCH_VAR is not set" in store.db["deliveries"].get(1)["last_error"]


class PickyInbox(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, N802
        if address.startswith("data@"):
            return "550 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_one_refused_address_still_counts_as_sent_once(tmp_path, store, caplog):
    inbox = PickyInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        config = _config(tmp_path, port)
        add_finding(store)
        build_due_digests(store, config, NOW)
        with caplog.at_level(logging.WARNING):
            assert deliver_pending(store, config, NOW).sent == 1
    finally:
        controller.stop()
    assert [m[1] for m in inbox.messages] == [["redaksi@example.org"]]
    assert "refused data@example.org" in caplog.text


def _self_signed(tmp_path):
    """A certificate for 127.0.0.1 that this test's client trusts (through SSL_CERT_FILE)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_modes_with_login(tmp_path, store, monkeypatch, security):
    import ssl

    cert_file, key_file = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
    monkeypatch.setenv("PANTAU_TEST_SMTP_PASSWORD", PASSWORD)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert_file, key_file)
    inbox, port = Inbox(), free_port()
    # aiosmtpd counts only STARTTLS as TLS for AUTH; over implicit TLS the channel is encrypted anyway.
    tls = ({"ssl_context": server_context, "auth_require_tls": False} if security == "ssl"
           else {"tls_context": server_context,
                 "require_starttls": True})
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate, **tls)
    controller.start()
    try:
        config = _config(tmp_path, port, security=security, username="pantau",
                         password_env="PANTAU_TEST_SMTP_PASSWORD")
        add_finding(store)
        build_due_digests(store, config, NOW)
        report = deliver_pending(store, config, NOW)
        assert report.sent == 1, store.db["deliveries"].get(1)["last_error"]
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
