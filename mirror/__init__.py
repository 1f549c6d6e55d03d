"""The local mirror of detik, Liputan6, Republika and Komdigi: corpus (``corpus.py``), page
renderers (``render/``) and the HTTP server with its clock and fault switches.

``from mirror import Mirror`` is the contract's name for the server (``server.Mirror``).
"""

from __future__ import annotations

import typing

__all__ = ["Mirror"]


def __getattr__(name: str) -> typing.Any:
    # Lazy: the extraction tests and bench import only corpus/render and need no HTTP server module.
    if name == "Mirror":
        from mirror.server import Mirror

        return Mirror
    raise AttributeError(f"module 'mirror' has no attribute {name!r}")
