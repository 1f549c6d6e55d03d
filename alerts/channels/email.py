"""Email digests: a multipart (text + HTML) message sent over SMTP with STARTTLS, SSL or neither."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from alerts.channels import DeliveryError
from alerts.labels import labels
from alerts.render import chart_images, render_html, render_text, subject, zone_of
from alerts.secrets import MissingSecret, smtp_password
from kernel.times import utc_now
from pantau_config import Config, RecipientConfig

log = logging.getLogger(__name__)


def message_id(digest_id: int, recipient: str, sender: str) -> str:
    """Stable per digest and recipient: a retry re-sends the same Message-ID, so mail clients dedupe."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "pantau.localhost"
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", recipient).strip("-") or "recipient"
    return f"<pantau-digest-{digest_id}.{slug}@{domain}>"


def date_header(now: datetime, config: Config) -> str:
    """RFC 5322 date in the reader's zone with its real offset: 'Wed, 02 Dec 2026 14:46:00 +0700'."""
    return format_datetime(now.astimezone(zone_of(config)).replace(microsecond=0))


def build_message(digest_id: int, payload: dict, recipient: RecipientConfig, config: Config,
                  now: datetime | None = None, *, repeat: bool = False) -> EmailMessage:
    """multipart/alternative: the text part, then the HTML part with its charts as inline PNG
    parts (multipart/related, each with a Content-ID the HTML's ``cid:`` links name).

    ``repeat``: an earlier send may have arrived; the subject says so and ``X-Pantau-Repeat`` marks
    it (the Message-ID stays the same, for de-duplication)."""
    message = EmailMessage()
    message["Subject"] = f"{labels(payload.get('language', 'id'))['repeat_subject']} {subject(payload)}" \
        if repeat else subject(payload)
    message["From"] = config.smtp.sender
    if recipient.email:
        message["To"] = ", ".join(recipient.email)
    message["Date"] = date_header(now or utc_now(), config)
    message["Message-ID"] = message_id(digest_id, recipient.name, config.smtp.sender)
    message["X-Pantau-Digest"] = str(digest_id)
    if repeat:
        message["X-Pantau-Repeat"] = "yes; an earlier send of this digest may have arrived (same Message-ID)"
    message.set_content(render_text(payload, config))
    images = chart_images(payload, config)
    message.add_alternative(render_html(payload, config, images="cid" if images else "none"), subtype="html")
    html_part = next(part for part in message.iter_parts() if part.get_content_type() == "text/html")
    for image in images:
        html_part.add_related(image.png, maintype="image", subtype="png", cid=f"<{image.content_id}>",
                              filename=f"{image.content_id.split('@')[0]}.png", disposition="inline")
    return message


def send_email(digest_id: int, payload: dict, recipient: RecipientConfig, config: Config, *,
               repeat: bool = False) -> None:
    smtp = config.smtp
    try:
        password = smtp_password(config)
    except MissingSecret as exc:
        raise DeliveryError(str(exc)) from None
    message = build_message(digest_id, payload, recipient, config, repeat=repeat)
    where = f"SMTP {smtp.host}:{smtp.port}"
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from None
    try:
        if smtp.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, password or "")
    except (smtplib.SMTPException, OSError) as exc:
        client.close()
        raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from None
    try:
        # Raises unless the server accepted at least one recipient; then the mail is queued there.
        refused = client.send_message(message, from_addr=parseaddr(smtp.sender)[1] or None,
                                      to_addrs=recipient.email)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        client.close()  # the server answered "no": nothing was queued
        raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from None
    except (smtplib.SMTPException, OSError) as exc:
        client.close()  # the connection broke mid-transaction: the server may have queued it
        raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}", in_doubt=True) from None
    # Accepted: from here on nothing may turn this into a retry (that would send the mail twice).
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
    if refused:
        log.warning("%s accepted the digest for %s but refused %s", where, recipient.name, ", ".join(sorted(refused)))
