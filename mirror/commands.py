"""``pantau mirror``: serve the local mirror by hand."""

from __future__ import annotations

import sys
import time

import click

from mirror.faults import FAULTS, parse_fault
from mirror.server import DEFAULT_SLOW_SECONDS, RETRY_AFTER_SECONDS


@click.command(name="mirror")
@click.option("--port-base", type=int, default=0, show_default=True,
              help="First port; each host gets the next one (0: free ports chosen by the system).")
@click.option("--synthetic", type=int, default=0, show_default=True,
              help="Add this many generated articles to the bundled corpus.")
@click.option("--step-every", type=float, default=0.0, show_default=True,
              help="Advance the mirror's clock every S seconds (0: never): publish and revise articles.")
@click.option("--padded", is_flag=True,
              help="Serve article pages at a real page's size (100-300 KB of site markup, mirror/padding.py).")
@click.option("--fault", "fault_specs", multiple=True, metavar="KIND[:HOST]",
              help="Switch a fault on, for every host or one real host; repeatable. KIND: "
                   + ", ".join(FAULTS) + ".")
@click.option("--slow-seconds", type=click.FloatRange(min=0), default=DEFAULT_SLOW_SECONDS, show_default=True,
              help="How long the 'slow' fault holds each answer.")
@click.option("--retry-after", type=click.IntRange(min=0), default=RETRY_AFTER_SECONDS, show_default=True,
              help="Retry-After seconds the '429' fault sends.")
def mirror_command(port_base: int, synthetic: int, step_every: float, padded: bool, fault_specs: tuple[str, ...],
                   slow_seconds: float, retry_after: int) -> None:
    """Serve the local mirror of the four sites on 127.0.0.1 (one port per real host) and print the
    [crawl] roots to put in pantau.toml.

    \b
    Faults (mirror/faults.py), e.g. --fault 500:inet.detik.com --fault redirect-loop:
      500, slow, truncated, 429      every request but robots.txt
      malformed_xml                  feeds and sitemaps
      redirect_loop, offsite_redirect, no_closing_tags, header_charset, gzip_bomb, cut_gzip,
      js_shell                       article pages
    """
    import signal

    from cli import fail
    from mirror.server import Mirror

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM (a daemon, a container) stops as cleanly as Ctrl-C

    try:
        faults = [parse_fault(spec) for spec in fault_specs]
    except ValueError as exc:
        fail(str(exc))
        return
    signal.signal(signal.SIGTERM, stop)
    mirror = Mirror(synthetic=synthetic, port_base=port_base, slow_seconds=slow_seconds,
                    retry_after_seconds=retry_after, padded=padded)
    unknown = sorted({host for _, host in faults if host is not None} - set(mirror.hosts))
    if unknown:
        fail(f"--fault: '{unknown[0]}' is not a mirrored host (known: {', '.join(mirror.hosts)})")
    for kind, host in faults:
        mirror.set_fault(kind, True, host=host)
    mirror.start()
    click.echo("# Put this in pantau.toml to crawl the mirror instead of the live sites,")
    click.echo("# and add roots_only = true under [crawl] so nothing else is ever requested:")
    click.echo(mirror.roots_toml())
    on = mirror.faults_on()
    click.echo(f"# {len(mirror.roots)} hosts, step {mirror.step_no}" + (", real-size pages" if padded else "")
               + (f", faults: {' '.join(on)} (internal server {mirror.internal_url})" if on else "")
               + "; Ctrl-C stops.", err=True)
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
