"""``pantau crawl``."""

from __future__ import annotations

import click

# `pantau crawl` exit code when a whole site failed (0: finished, maybe with failed pages; 2: bad input).
SITE_FAILED_EXIT_CODE = 1
# Exit code when the store could not be written (disk full, read-only, locked): the run failed.
STORE_UNAVAILABLE_EXIT_CODE = 3


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
      2  bad input: unknown site or channel, bad config (a missing taxonomy file too)
      3  the store could not be written (disk full, read-only, locked): the crawl stopped,
         nothing stored before is lost, and the next crawl fetches what this one missed
    """
    from cli import fail
    from crawler.profiles import ProfileError
    from crawler.run import check_store, chosen_sites, failure_lines, format_summary, run_crawl
    from crawler.state import site_failed
    from kernel.errors import ConfigError, StoreError, StoreUnavailable
    from pantau_config import DEFAULT_CONTACT_URL

    config = ctx.obj.config()
    if not config.crawl.roots_only and config.crawl.contact_url == DEFAULT_CONTACT_URL and not config.crawl.user_agent:
        # Site operators read the User-Agent to reach whoever runs a crawler: make that the user.
        click.echo("pantau: warning: [crawl] contact_url is the placeholder; set it to a page where site "
                   "operators can reach you", err=True)
    try:
        chosen_sites(config, sites)
        check_store(config)  # before Scrapy starts: a bad store is one line, not a traceback per spider
        results = run_crawl(config, sites or None, progress=not quiet)
    except ConfigError as exc:
        fail(f"invalid configuration: {exc}")
        return
    except StoreUnavailable as exc:
        fail(f"crawl: {exc}", STORE_UNAVAILABLE_EXIT_CODE)
        return
    except StoreError as exc:
        fail(f"crawl: cannot open the store: {exc}")
        return
    except (ValueError, ProfileError) as exc:
        fail(str(exc))
        return
    click.echo(format_summary(results))
    # One line per site and kind of failure; each failed URL is in crawl_errors (and --log-level DEBUG).
    for line in failure_lines(results):
        click.echo(f"pantau: {line}", err=True)
    store_errors = sorted({stats["store_error"] for stats in results.values() if stats.get("store_error")})
    if store_errors:
        fail(f"crawl: {store_errors[0]}; the crawl stopped and failed (nothing stored before is lost; "
             "the next crawl fetches what this one could not store)", STORE_UNAVAILABLE_EXIT_CODE)
    failed = [site for site, stats in results.items() if site_failed(stats)]
    if failed:
        fail(f"crawl: {', '.join(failed)} failed as a whole (no feed, sitemap, index or API request"
             " answered); the reasons are in the store's crawl_errors", SITE_FAILED_EXIT_CODE)
