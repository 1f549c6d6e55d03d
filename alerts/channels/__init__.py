"""Delivery channels: email (SMTP), Slack (incoming webhook) and files (.eml + .json).

Each channel's ``send`` returns only after the other side accepted the digest, and raises
``DeliveryError`` otherwise; the outbox worker decides about retries.
"""

from __future__ import annotations


class DeliveryError(RuntimeError):
    """A send that did not go through. ``parts_sent``: Slack messages already accepted."""

    def __init__(self, message: str, *, parts_sent: int = 0) -> None:
        super().__init__(message)
        self.parts_sent = parts_sent
