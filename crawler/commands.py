"""``pantau crawl`` and ``pantau mirror``."""

from __future__ import annotations

import sys
import time

import click

# `pantau crawl` exit code when a whole site failed (0: finished, maybe with failed pages; 2: bad input).
SITE_FAILED_EXIT_CODE = 1


@click.command(name="crawl")
@click.argument("sites", nargs=-1)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
@click.pass_context
def crawl_command(ctx: click.Context, sites: tuple[str, ...], quiet: bool) -> None:
    """Crawl SITES (default: the enabled sites: detik liputan6 republika komdigi) once, in one
    process, and print a per-site summary (discovered, fetched, new, changed, skipped, errors, time).

    \b
    Exit codes:
      0  the crawl finished; pages that failed are counted in "errors" and kept in crawl_errors
      1  a whole site failed: every discovery request (feed, sitemap, index, API) failed
      2  bad input: unknown site or channel, bad config
    """
    from cli import fail
    from crawler.profiles import ProfileError
    from pantau_config import DEFAULT_CONTACT_URL
    from crawler.run import chosen_sites, format_summary, run_crawl
    from crawler.state import site_failed

    config = ctx.obj.config()
    if not config.crawl.roots_only and config.crawl.contact_url == DEFAULT_CONTACT_URL and not config.crawl.user_agent:
        # Site operators read the User-Agent to reach whoever runs a crawler: make that the user.
        click.echo("pantau: warning: [crawl] contact_url is the placeholder; set it to a page where site "
                   "operators can reach you", err=True)
    try:
        chosen_sites(config, sites)
        results = run_crawl(config, sites or None, progress=not quiet)
    except (ValueError, ProfileError) as exc:
        fail(str(exc))
        return
    click.echo(format_summary(results))
    failed = [site for site, stats in results.items() if site_failed(stats)]
    if failed:
        fail(f"crawl: {', '.join(failed)} failed as a whole (no feed, sitemap, index or API request"
             " answered); the reasons are in the store's crawl_errors", SITE_FAILED_EXIT_CODE)


@click.command(name="mirror")
@click.option("--port-base", type=int, default=0, show_default=True,
              help="First port; each host gets the next one (0: free ports chosen by the system).")
@click.option("--synthetic", type=int, default=0, show_default=True,
              help="Add this many generated articles to the bundled corpus.")
@click.option("--step-every", type=float, default=0.0, show_default=True,
              help="Advance the mirror's clock every S seconds (0: never): publish and revise articles.")
def mirror_command(port_base: int, synthetic: int, step_every: float) -> None:
    """Serve the local mirror of the four sites on 127.0.0.1 (one port per real host) and print the
    [crawl] roots to put in pantau.toml."""
    import signal

    from crawler.mirror.server import Mirror

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM (a daemon, a container) stops as cleanly as Ctrl-C

    signal.signal(signal.SIGTERM, stop)
    mirror = Mirror(synthetic=synthetic, port_base=port_base)
    mirror.start()
    click.echo("# Put this in pantau.toml to crawl the mirror instead of the live sites,")
    click.echo("# and add roots_only = true under [crawl] so nothing else is ever requested:")
    click.echo(mirror.roots_toml())
    click.echo(f"# {len(mirror.roots)} hosts, step {mirror.step_no}; Ctrl-C stops.", err=True)
    try:
        last = time.monotonic()
        while True:
            time.sleep(0.5)
            if step_every and time.monotonic() - last >= step_every:
                last = time.monotonic()
                mirror.step()
                click.echo(f"# mirror clock: step {mirror.step_no}", err=True)
    except KeyboardInterrupt:
        pass
    finally:
        mirror.stop()
        sys.stderr.flush()
