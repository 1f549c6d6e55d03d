"""The local mirror of detik, Liputan6, Republika and Komdigi: corpus (``corpus.py``), page
renderers (``render/``) and the HTTP server with its clock and fault switches."""
