"""File digests: ``<outbox_dir>/digest-<id>-<recipient>.eml`` and ``.json``, written atomically."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from alerts.channels import DeliveryError
from alerts.channels.email import build_message
from alerts.render import render_text
from pantau_config import Config, RecipientConfig


def recipient_slug(recipient: str) -> str:
    """A recipient's name as a file-name part."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", recipient).strip("-") or "recipient"


def file_stem(digest_id: int, recipient: str) -> str:
    return f"digest-{digest_id:06d}-{recipient_slug(recipient)}"


def write_atomically(path: Path, data: bytes) -> None:
    # Write to a temporary file and rename, so a reader never sees half a digest.
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_files(digest_id: int, payload: dict, recipient: RecipientConfig, config: Config) -> list[Path]:
    folder = config.alerts.outbox_dir
    stem = file_stem(digest_id, recipient.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        eml = folder / f"{stem}.eml"
        write_atomically(eml, bytes(build_message(digest_id, payload, recipient, config)))
        document = {"digest_id": digest_id, "recipient": recipient.name, "text": render_text(payload, config),
                    "payload": payload}
        js = folder / f"{stem}.json"
        write_atomically(js, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
    except OSError as exc:
        raise DeliveryError(f"cannot write digest files in {folder}: {exc.strerror or exc}") from None
    return [eml, js]
