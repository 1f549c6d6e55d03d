"""``pantau mirror``: serve the local mirror by hand."""

from __future__ import annotations

import sys
import time

import click


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

    from mirror.server import Mirror

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
