"""Secrets come from environment variables named in the config and never leave this process.

``mask`` is applied to every error text before it is logged or stored in ``deliveries.last_error``.
"""

from __future__ import annotations

import os
import re

from kernel.errors import MissingSecret
from pantau_config import Config, RecipientConfig

MASK = "***"
# Any URL's path and query may carry a token (Slack webhooks do): keep only scheme and host.
_URL = re.compile(r"(https?://[^/\s\"'<>]+)[^\s\"'<>]*")



def from_env(variable: str, what: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        raise MissingSecret(f"{what}: environment variable {variable} is not set")
    return value


def smtp_password(config: Config) -> str | None:
    if not config.smtp.password_env:
        return None
    return from_env(config.smtp.password_env, "[smtp] password_env")


def slack_webhook(recipient: RecipientConfig) -> str:
    return from_env(recipient.slack_webhook_env, f"recipient {recipient.name} slack_webhook_env")


def known_secrets(config: Config) -> list[str]:
    names = [config.smtp.password_env] + [r.slack_webhook_env for r in config.effective_recipients()]
    return [os.environ[name] for name in names if name and os.environ.get(name)]


def mask(text: str, config: Config) -> str:
    """``text`` with every configured secret value and every URL path replaced by ***."""
    for secret in sorted(known_secrets(config), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _URL.sub(lambda m: m.group(1) + "/" + MASK if len(m.group(0)) > len(m.group(1)) + 1 else m.group(0), text)
