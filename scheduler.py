"""The pantau daemon (``pantau run``): crawl and digest jobs on cron schedules, APScheduler 3.11.

How it keeps its promises:

* **One daemon per store.** ``DaemonLock`` takes ``fcntl.flock`` on ``<store>.lock`` and writes its
  pid there; a second daemon gets ``DaemonLockError`` naming the first one's pid. The kernel drops
  the lock when the process dies, even on SIGKILL, so a stale lock file never blocks a restart.
* **Each crawl in a child process** (``pantau crawl``): Twisted's reactor can't restart in one
  process, a crawl past its time limit can be killed without taking the daemon down, and the
  crawl's memory goes back to the OS. The child gets SIGTERM at ``time_limit_seconds`` +
  ``stop_grace_seconds`` (Scrapy closes its own spider at the time limit first) and SIGKILL after
  another ``stop_grace_seconds``. On Linux the child also dies with the daemon (PR_SET_PDEATHSIG).
* **Each scheduled run at most once.** A run is keyed by (job name, scheduled fire time) in the
  store's ``schedule_runs`` table (``store/schedule.py``); it is claimed before it starts.
* **Missed runs once at start.** For each job the latest fire time missed while the daemon was down
  (no later than ``misfire_grace_seconds`` ago) runs once, coalesced; a run that was interrupted
  by a crash runs again once. The digest itself is idempotent per window (``alerts``), so a digest
  that is re-run after a crash never sends twice.
* **Clean stop.** SIGTERM or SIGINT: no new runs start, a running crawl child gets SIGTERM and is
  killed after ``stop_grace_seconds`` (a second signal kills it at once), a running digest finishes
  (its writes are transactions). Interrupted runs are marked so and re-run at the next start.
* **Structured logs.** One line per event, ``key=value`` text or JSON lines (``--log-format json``).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kernel.cron import cron_trigger
from kernel.errors import DaemonLockError, PantauError, StoreUnavailable
from pantau_config import Config

if TYPE_CHECKING:
    from store import Store

log = logging.getLogger("pantau.scheduler")

JOBS = ("crawl", "digest")
# How often the job thread looks at a running child; short enough that a stop request is acted on
# at once, long enough to cost nothing.
CHILD_POLL_SECONDS = 0.2
# Lines of a failed crawl's output kept for the run's `detail` column and the log.
FAILURE_TAIL_LINES = 20
# APScheduler worker threads: a regular and a catch-up run per job, so a long crawl never makes a
# digest wait or misfire (runs of one job never overlap: see Daemon._run).
WORKER_THREADS = 2 * len(JOBS)
# A store writer that exited while the daemon runs is started again after this long (Redis or the
# store may be back by then; sooner would only fill the log).
WRITER_RESTART_SECONDS = 10.0
# Beyond stop_grace_seconds, how long the daemon waits for its writer thread to see the child exit.
WRITER_JOIN_SLACK_SECONDS = 5.0


# --------------------------------------------------------------------------------------- logging

def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    """Log one structured event: a name plus fields; the formatter decides text or JSON."""
    log.log(level, event, extra={"event": event, "fields": fields})


def _utc_stamp(created: float) -> str:
    return datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: ts, level, event, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {"ts": _utc_stamp(record.created), "level": record.levelname}
        event = getattr(record, "event", None)
        if event:
            data["event"] = event
            data.update(getattr(record, "fields", {}))
        else:  # a library's ordinary log message
            data.update(event="log", logger=record.name, message=record.getMessage())
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class KeyValueFormatter(logging.Formatter):
    """One line per event: ``<ts> <LEVEL> <event> key=value …`` (values with spaces are quoted)."""

    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "event", None)
        fields = dict(getattr(record, "fields", {})) if event else {"logger": record.name,
                                                                     "message": record.getMessage()}
        parts = [_utc_stamp(record.created), f"{record.levelname:<7}", event or "log"]
        flat: dict[str, Any] = {}
        for key, value in fields.items():  # {"jobs": {"crawl": …}} reads better as jobs.crawl=…
            if isinstance(value, dict):
                flat.update({f"{key}.{sub}": v for sub, v in value.items()})
            else:
                flat[key] = value
        for key, value in flat.items():
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
            if not text or any(ch.isspace() or ch in "\"=" for ch in text):
                text = json.dumps(text, ensure_ascii=False)
            parts.append(f"{key}={text}")
        line = " ".join(parts)
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(log_format: str, level: str = "WARNING") -> None:
    """Send every log line to stderr in ``log_format`` ("text" or "json"); daemon events at INFO."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if log_format == "json" else KeyValueFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    # The daemon's own events are what `pantau run` is for: show them even at the default WARNING.
    log.setLevel(min(logging.INFO, root.level))


# ------------------------------------------------------------------------------------------ lock


def lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".lock")


class DaemonLock:
    """An exclusive ``flock`` on ``<store>.lock`` holding the owner's pid, released on exit or death."""

    def __init__(self, store_path: Path) -> None:
        self.store_path = Path(store_path)
        self.path = lock_path(self.store_path)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise DaemonLockError(self.path, self.store_path, int(text) if text.isdigit() else None) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            # The file stays: deleting it would let a third daemon lock a new inode while a second
            # one still waits on the old one.
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DaemonLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# ---------------------------------------------------------------------------------- child runner

@dataclass
class ChildResult:
    status: str          # "ok" | "failed" | "timeout" | "interrupted"
    returncode: int | None
    seconds: float
    tail: list[str]      # the last lines of the child's output


def _parent_death_signal() -> Callable[[], None] | None:
    """A preexec_fn that makes the child get SIGTERM when the daemon dies (Linux), or None.

    prctl is looked up here, in the parent: loading a library between fork and exec could
    deadlock on a lock another daemon thread held at fork time.
    """
    if not sys.platform.startswith("linux"):
        return None  # elsewhere an orphaned crawl still ends at its own Scrapy time limit
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
    sigterm = int(signal.SIGTERM)
    return lambda: prctl(PR_SET_PDEATHSIG, sigterm)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)  # the child leads its own session, so this reaches its helpers too
    except ProcessLookupError:
        pass


def run_child(argv: list[str], *, time_limit: float | None, stop: threading.Event,
              force: threading.Event | None = None, grace: float = 30.0,
              on_line: Callable[[str], None] | None = None, env: dict[str, str] | None = None) -> ChildResult:
    """Run ``argv`` to completion, its stdout+stderr going line by line to ``on_line``.

    Past ``time_limit`` seconds, or once ``stop`` is set, the child gets SIGTERM, then SIGKILL after
    ``grace`` seconds (at once when ``force`` is set).
    """
    started = time.monotonic()
    tail: deque[str] = deque(maxlen=FAILURE_TAIL_LINES)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", start_new_session=True,
                            preexec_fn=_parent_death_signal(), env=env)

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip("\n")
            tail.append(line)
            if on_line:
                on_line(line)

    reader = threading.Thread(target=pump, name=f"child-{proc.pid}-output", daemon=True)
    reader.start()
    termed_at: float | None = None
    why = ""
    while True:
        try:
            proc.wait(timeout=CHILD_POLL_SECONDS)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if termed_at is None:
            if stop.is_set():
                why = "interrupted"
            elif time_limit is not None and now - started > time_limit:
                why = "timeout"
            if why:
                _signal_group(proc, signal.SIGTERM)
                termed_at = now
        elif now - termed_at > grace or (force is not None and force.is_set()):
            _signal_group(proc, signal.SIGKILL)
    reader.join(timeout=5)
    status = why or ("ok" if proc.returncode == 0 else "failed")
    return ChildResult(status, proc.returncode, round(time.monotonic() - started, 3), list(tail))


def store_writer_argv(config: Config) -> list[str]:
    """``pantau store-writer`` with this config: the daemon runs it when a frontier is set."""
    return crawl_argv(config)[:-1] + ["store-writer"]


def crawl_argv(config: Config) -> list[str]:
    """``pantau crawl`` with this config, run by the daemon's own interpreter."""
    argv = [sys.executable, "-m", "cli"]
    if config.source is not None:
        argv += ["--config", str(Path(config.source).resolve())]
    return argv + ["crawl"]


# ------------------------------------------------------------------------------------ fire times

def latest_fire_time(trigger: Any, now: datetime, since: datetime) -> datetime | None:
    """The latest time in (since, now] at which ``trigger`` fires, or None.

    Walks forward from ``since``; callers keep ``since`` recent (the last run, the daemon start or
    the misfire grace), so this is one or a few steps.
    """
    latest = None
    moment = trigger.get_next_fire_time(None, since + timedelta(microseconds=1))
    while moment is not None and moment <= now:
        latest = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(microseconds=1))
    return latest


# ----------------------------------------------------------------------------------- the daemon

@contextmanager
def open_store(config: Config) -> Iterator[Store]:
    """The config's store for one job run (SQLite connections stay in their thread)."""
    from store import Store

    store = Store.from_config(config)
    try:
        yield store
    finally:
        store.close()


def run_digest(config: Config, now: datetime, window_end: datetime | None = None) -> dict[str, Any]:
    """The digest job in-process: build due digests, then work the outbox (alerts does both idempotently).

    ``window_end``: the run's scheduled fire time, so a re-run of it builds no second digest.
    """
    import alerts

    with open_store(config) as store:
        digests, report = alerts.run_digests(store, config, now, window_end)
    return {"digests": len(digests), "sent": report.sent, "retrying": report.retrying, "failed": report.failed}


# The digest job: (config, now, run window end) -> counts for the run_finished log line.
DigestJob = Callable[[Config, datetime, datetime | None], dict[str, Any]]


class Daemon:
    """The scheduler daemon. ``run()`` blocks until ``request_stop()`` (the signal handlers call it).

    ``crawl_command`` and ``digest`` replace the real crawl child and digest job in tests.
    """

    def __init__(self, config: Config, *, crawl_command: list[str] | None = None,
                 digest: DigestJob | None = None, writer_command: list[str] | None = None) -> None:
        self.config = config
        self.crawl_command = crawl_command or crawl_argv(config)
        # With a frontier, crawls (here and on other nodes) write the store stream, and the daemon
        # on the store's host keeps its writer running for as long as it runs.
        self.writer_command = writer_command or (store_writer_argv(config) if config.crawl.frontier else None)
        self._writer: threading.Thread | None = None
        self.digest = digest or run_digest
        self._stop = threading.Event()
        self._force = threading.Event()
        self._started_at: datetime | None = None
        cfg = config.schedule
        # Jobs with an empty cron expression are off; the expressions were validated with the config.
        self._triggers = {name: cron_trigger(getattr(cfg, name), cfg.timezone)
                          for name in JOBS if getattr(cfg, name).strip()}
        # One run of a job at a time: a crawl still running when its next fire time comes is not
        # doubled (APScheduler's max_instances can't see the catch-up run, which is another job).
        self._running = {name: threading.Lock() for name in JOBS}
        self.scheduler: Any = None

    # -- public
    def request_stop(self, reason: str = "stop requested") -> None:
        if self._stop.is_set():
            self._force.set()
            log_event("stop_forced", logging.WARNING, reason=reason)
            return
        log_event("stopping", reason=reason, grace_seconds=self.config.schedule.stop_grace_seconds)
        self._stop.set()

    def run(self, *, ready: Callable[[], None] | None = None) -> None:
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.schedulers.background import BackgroundScheduler

        from store import schedule

        cfg = self.config.schedule
        with DaemonLock(self.config.store.path) as lock:
            now = self._now()
            self._started_at = now
            with open_store(self.config) as store:
                schedule.ensure_schema(store)
                interrupted = schedule.mark_interrupted(store, now=now)
                for run in interrupted:
                    log_event("run_interrupted_earlier", logging.WARNING, job=run.job,
                              fire_time=run.fire_time.isoformat(), attempts=run.attempts)
                catch_up = {name: self._catch_up_time(store, name, now) for name in self._triggers}
            self.scheduler = BackgroundScheduler(
                timezone=cfg.timezone,
                executors={"default": ThreadPoolExecutor(WORKER_THREADS)},
                job_defaults={"coalesce": True, "max_instances": 1,
                              "misfire_grace_time": max(cfg.misfire_grace_seconds, 1)})
            for name, trigger in self._triggers.items():
                self.scheduler.add_job(self._fire, trigger, args=[name], id=name, name=name)
                due = catch_up[name]
                if due is not None:
                    log_event("catch_up", job=name, fire_time=due.isoformat())
                    self.scheduler.add_job(self._run, "date", run_date=now, args=[name, due],
                                           id=f"{name}-catch-up", name=f"{name} (catch-up)")
            self.scheduler.start()
            if self.writer_command is not None:
                self._writer = threading.Thread(target=self._keep_writer, name="store-writer", daemon=True)
                self._writer.start()
            log_event("daemon_started", pid=os.getpid(), store=str(self.config.store.path),
                      lock=str(lock.path), timezone=cfg.timezone,
                      jobs={name: getattr(self.config.schedule, name) for name in self._triggers},
                      next_runs={job.id: job.next_run_time.isoformat() for job in self.scheduler.get_jobs()
                                 if job.next_run_time})
            if ready:
                ready()
            try:
                while not self._stop.wait(1.0):
                    pass
            finally:
                # Jobs see the stop event: crawl children get SIGTERM, digests finish; then we wait.
                self._stop.set()
                self.scheduler.shutdown(wait=True)
                if self._writer is not None:  # got SIGTERM with the jobs: finishes its batch, acks, exits
                    self._writer.join(self.config.schedule.stop_grace_seconds + WRITER_JOIN_SLACK_SECONDS)
                log_event("daemon_stopped", pid=os.getpid())

    # -- internals
    def _now(self) -> datetime:
        return datetime.now(UTC)

    def _catch_up_time(self, store: Store, name: str, now: datetime) -> datetime | None:
        """The one fire time of ``name`` to run at start, or None.

        The latest fire time after the job's last recorded run that is within the misfire grace; or
        the last run itself if a crash interrupted it (and it is within the grace). A job that has
        never run has nothing to catch up: the daemon was never down for it.
        """
        from store import schedule

        last = schedule.last_run(store, name)
        if last is None:
            return None
        oldest = now - timedelta(seconds=self.config.schedule.misfire_grace_seconds)
        missed = latest_fire_time(self._triggers[name], now, max(last.fire_time, oldest - timedelta(seconds=1)))
        if missed is not None and missed >= oldest:
            return missed
        if last.status == schedule.INTERRUPTED and last.fire_time >= oldest:
            return last.fire_time
        return None

    def _fire(self, name: str) -> None:
        """APScheduler's entry: work out which fire time this is, then run it."""
        from store import schedule

        now = self._now()
        with open_store(self.config) as store:
            last = schedule.last_run(store, name)
        since = max(self._started_at or now, now - timedelta(seconds=self.config.schedule.misfire_grace_seconds))
        if last is not None:
            since = max(since, last.fire_time)
        fire_time = latest_fire_time(self._triggers[name], now, since)
        if fire_time is None:
            log_event("run_skipped", job=name, reason="no fire time due (already ran)")
            return
        self._run(name, fire_time)

    def _run(self, name: str, fire_time: datetime) -> None:

        if self._stop.is_set():
            return
        fire_text = fire_time.isoformat()
        if not self._running[name].acquire(blocking=False):
            log_event("run_skipped", logging.WARNING, job=name, fire_time=fire_text,
                      reason="the previous run is still going")
            return
        try:
            self._claimed_run(name, fire_time, fire_text)
        except StoreUnavailable as exc:  # the run could not even be claimed or recorded: one line
            log_event("run_error", logging.ERROR, job=name, fire_time=fire_text, error=str(exc))
        finally:
            self._running[name].release()

    def _claimed_run(self, name: str, fire_time: datetime, fire_text: str) -> None:
        from store import schedule

        with open_store(self.config) as store:
            if not schedule.claim_run(store, name, fire_time, now=self._now(), daemon_pid=os.getpid()):
                log_event("run_skipped", job=name, fire_time=fire_text, reason="already claimed")
                return
        log_event("run_started", job=name, fire_time=fire_text)
        started = time.monotonic()
        detail: str | None = None
        extra: dict[str, Any] = {}
        try:
            if name == "crawl":
                result = self._crawl()
                status, extra = result.status, {"returncode": result.returncode}
                if status != "ok":
                    detail = "\n".join(result.tail) or f"exit code {result.returncode}"
            else:
                # The fire time is the digest's run window, so a re-run of it builds no second digest.
                extra = self.digest(self.config, self._now(), fire_time)
                status = "ok"
        except PantauError as exc:  # anticipated (a full or locked store …): one line, no traceback
            status, detail = "failed", str(exc)
            log_event("run_error", logging.ERROR, job=name, fire_time=fire_text, error=detail)
        except Exception as exc:  # a failed job is logged and recorded; the daemon carries on
            status, detail = "failed", f"{type(exc).__name__}: {exc}"
            log.exception("job %s failed", name, extra={"event": "run_error",
                                                        "fields": {"job": name, "fire_time": fire_text}})
        seconds = round(time.monotonic() - started, 3)
        with open_store(self.config) as store:
            schedule.finish_run(store, name, fire_time, status, now=self._now(), detail=detail)
        level = logging.INFO if status == "ok" else logging.WARNING
        log_event("run_finished", level, job=name, fire_time=fire_text, status=status, seconds=seconds,
                  **extra, **({"detail": detail.splitlines()[-1][:300]} if detail else {}))

    def _keep_writer(self) -> None:
        """Run ``pantau store-writer`` until the daemon stops; start it again if it exits (Redis
        was unreachable, the store was full) after WRITER_RESTART_SECONDS."""
        assert self.writer_command is not None
        while not self._stop.is_set():
            log_event("store_writer_started", command=" ".join(self.writer_command[-1:]))
            result = run_child(self.writer_command, time_limit=None, stop=self._stop, force=self._force,
                               grace=self.config.schedule.stop_grace_seconds,
                               on_line=lambda line: log_event("store_writer_output", line=line))
            level = logging.INFO if result.status in ("ok", "interrupted") else logging.WARNING
            log_event("store_writer_exited", level, status=result.status, returncode=result.returncode,
                      **({"detail": result.tail[-1][:300]} if result.tail and result.status == "failed" else {}))
            self._stop.wait(WRITER_RESTART_SECONDS)

    def _crawl(self) -> ChildResult:
        limit = self.config.crawl.time_limit_seconds + self.config.schedule.stop_grace_seconds
        return run_child(self.crawl_command, time_limit=limit, stop=self._stop, force=self._force,
                         grace=self.config.schedule.stop_grace_seconds,
                         on_line=lambda line: log_event("crawl_output", line=line))


# ------------------------------------------------------------------------------------------- CLI

@click.command(name="run")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="One line per event: key=value text, or JSON lines for a log collector.")
@click.pass_obj
def run_command(obj: Any, log_format: str) -> None:
    """Run the scheduler daemon in the foreground until SIGTERM or Ctrl-C.

    Crawls and digests run on the [schedule] cron expressions of the config; each crawl runs as a
    child `pantau crawl`. Only one daemon can run per store (lock file <store>.lock).
    """
    from cli import fail

    config = obj.config()
    root_level = logging.getLevelName(logging.getLogger().level)
    configure_logging(log_format, root_level if isinstance(root_level, str) else "WARNING")
    daemon = Daemon(config)

    def on_signal(signum: int, _frame: Any) -> None:
        daemon.request_stop(signal.Signals(signum).name)

    from store import StoreError

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        daemon.run()
    except DaemonLockError as exc:
        log_event("lock_refused", logging.ERROR, pid=exc.pid, lock=str(exc.lock_file))
        fail(str(exc), code=1)
    except StoreError as exc:  # not a database, a folder, a newer schema: the user must act
        fail(f"cannot open the store: {exc}")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
