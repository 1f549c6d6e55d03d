"""Loaded by Datasette from ``--plugins-dir`` (``pantau browse``): the hooks live in
``store.datasette.plugin``, a module of the package, so they are typed and tested like the rest."""

from store.datasette.plugin import (  # noqa: F401 - Datasette collects the hook functions by name
    extra_body_script,
    extra_css_urls,
    extra_template_vars,
    register_routes,
    render_cell,
)
