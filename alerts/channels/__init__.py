"""Delivery channels: email (SMTP), Slack (incoming webhook) and files (.eml + .json).

Each channel's ``send`` returns only after the other side accepted the digest, and raises
``DeliveryError`` otherwise; the outbox worker decides about retries.
"""

from __future__ import annotations

from kernel.errors import DeliveryError

__all__ = ["DeliveryError"]


