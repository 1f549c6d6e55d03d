"""Placeholder: replaced by the module's owner."""

import click


@click.command(name="extract")
@click.argument("path", type=str)
@click.option("--url", "url", default=None,
              help="The page's real URL (default: its link[rel=canonical]); decides the site profile.")
@click.option("--page", "more_pages", multiple=True, type=str,
              help="A further page of the same article (detik /2, /3 saved separately); repeatable, in order.")
def extract_command(path: str, url: str | None, more_pages: tuple[str, ...]) -> None:
    """Extract one saved page PATH ("-" reads stdin): prints one JSON object with text, title,
    date, author, site, url and figures. Exit code 2 for unreadable input, an empty page or a
    page that is not an article."""
    import json
    import re
    import sys

    from cli import fail
    from extract.article import extract_article
    from kernel.errors import ExtractError

    def read(source: str) -> bytes:
        try:
            if source == "-":
                return sys.stdin.buffer.read()
            with open(source, "rb") as fh:
                return fh.read()
        except OSError as exc:
            fail(f"cannot read {source}: {exc.strerror or exc}")
            raise  # unreachable: fail() exits

    html = read(path)
    if not html.strip():
        fail(f"{'stdin' if path == '-' else path}: empty page")
    if url is None:
        m = re.search(rb"""<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)""", html, re.I)
        if not m:
            fail(f"{path}: no --url given and the page has no link[rel=canonical]; pass --url")
        url = m.group(1).decode("utf-8", "replace")
    try:
        article = extract_article(html, url, more_pages=[read(p) for p in more_pages])
    except ExtractError as exc:
        fail(f"{exc.url}: {exc.reason}")
        return
    record = article.to_dict()
    try:  # the figure tagger is another module; an extract without it still has value
        from extract.figures import tag_text
    except ImportError:
        figures = []
    else:
        from extract.timeref import settle_when

        # The page's date is known here: a year before it makes a figure "earlier" (figures.md §1).
        figures = [settle_when(f, article.published_at).to_record() for f in tag_text(article.text)]
    record["figures"] = figures
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@click.command(name="tag")
@click.argument("path", metavar="PATH")
@click.pass_context
def tag_command(ctx: click.Context, path: str) -> None:
    """Print one JSON record per figure in the UTF-8 text of PATH ("-" reads stdin)."""
    import io
    import json
    import sys

    from cli import CliContext, fail
    from extract.figures import tag_text
    from extract.taxonomy import load_taxonomy
    from pantau_config import ConfigError

    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            # Same semantics as open(path, encoding="utf-8").read(): strict UTF-8, universal newlines.
            stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
            text = stream.read()
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
    except UnicodeDecodeError as exc:
        fail(f"cannot read {name}: not valid UTF-8 ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        fail(f"cannot read {name}: {exc.strerror or exc}")
    obj = ctx.obj if isinstance(ctx.obj, CliContext) else CliContext()
    settings = obj.config().taxonomy
    try:
        taxonomy = load_taxonomy(settings.files, replace=settings.replace)
    except ConfigError as exc:
        fail(f"invalid taxonomy: {exc}")
    # UTF-8 bytes whatever the locale: the records carry Indonesian text and typographic quotes.
    out = sys.stdout.buffer
    for figure in tag_text(text, taxonomy):
        out.write((json.dumps(figure.to_record(), ensure_ascii=False) + "\n").encode("utf-8"))
    out.flush()


