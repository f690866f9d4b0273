"""Flask CLI commands: `flask --app wsgi migrate | demo | token | worker | dead-letters |
import`."""

import json
import os
import signal
import threading
from pathlib import Path

import click
from flask import Flask, current_app

from api.context import PUBLISHER
from bulk.admin import AdminImportFailed
from bulk.online import LoadFailed
from bulk.progress import make_progress
from bulk.run import AdminTarget, import_folder
from bulk.stage import ImportRejected
from graph.events import UnitOfWork
from graph.relaying import publish_committed
from graph.schema import BACKFILL_BATCH, apply_schema, backfill_messaging_counters
from notifications.delivery import list_dead_letters
from notifications.senders import senders_from_config
from notifications.worker import NotificationWorker
from server.demo import load_demo_graph
from server.logs import configure_logging
from server.tokens import TokenRules


def write_secret(path: str, text: str) -> None:
    """Write `text` to a file only its owner can read, whatever mode it had before."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)


def register_commands(app: Flask) -> None:
    """Attach the project's commands to the app's CLI."""

    @app.cli.command("migrate")
    @click.option(
        "--backfill-batch",
        default=BACKFILL_BATCH,
        show_default=True,
        help="users per transaction when backfilling the message badge counters",
    )
    def migrate(backfill_batch: int) -> None:
        """Create every missing constraint and index, then backfill the message badge
        counters of users made before they were kept (safe to run again)."""
        graph = current_app.extensions["beatgraph.graph"]
        click.echo(apply_schema(graph), nl=False)
        click.echo("schema applied")
        counted = backfill_messaging_counters(graph, backfill_batch)
        click.echo(f"message badge counters backfilled for {counted} user(s)")

    register_import(app)

    @app.cli.command("demo")
    def demo() -> None:
        """Load the small demo graph (safe to run again)."""
        graph, work = current_app.extensions["beatgraph.graph"], UnitOfWork()
        summary = load_demo_graph(graph, work)
        publish_committed(graph, work, current_app.extensions[PUBLISHER])
        click.echo(summary)

    @app.cli.command("token")
    @click.argument("subject")
    @click.option("--service", is_flag=True, help="mint a BeatPass service token")
    @click.option(
        "--ttl",
        type=int,
        help="lifetime in seconds  [default: the longest allowed, BEATGRAPH_TOKEN_MAX_LIFETIME]",
    )
    @click.option(
        "--out",
        type=click.Path(dir_okay=False),
        help="write the token to this file (mode 0600) and print only its path",
    )
    def token(subject: str, service: bool, ttl: int | None, out: str | None) -> None:
        """Print a signed token for SUBJECT (a user id, or a name for a service token)."""
        rules: TokenRules = current_app.extensions["beatgraph.tokens"]
        try:
            signed = rules.issue(subject, ttl or rules.max_lifetime, service)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--ttl") from None
        if out is None:
            click.echo(signed)
            return
        write_secret(out, signed + "\n")
        click.echo(out)

    @app.cli.command("worker")
    def worker() -> None:
        """Deliver notifications (upload fan-out, email, push) until SIGTERM or Ctrl-C."""
        config = dict(current_app.config)
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        configure_logging()
        NotificationWorker(
            current_app.extensions["beatgraph.graph"],
            senders_from_config(config),
            config,
            current_app.extensions["beatgraph.presence"],
            current_app.extensions[PUBLISHER],
        ).run(stop)

    @app.cli.command("dead-letters")
    @click.option("--limit", default=50, show_default=True)
    def dead_letters(limit: int) -> None:
        """Print the newest outbox entries that used up their attempts, one JSON per line."""
        for entry in list_dead_letters(current_app.extensions["beatgraph.graph"], limit):
            click.echo(json.dumps(entry))


def register_import(app: Flask) -> None:
    """`flask import FOLDER`: load a BeatPass export (docs/operations.md)."""

    @app.cli.command("import")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--full", is_flag=True, help="new store via neo4j-admin (Neo4j stopped)")
    @click.option("--replace", is_flag=True, help="with --full: overwrite an existing database")
    @click.option(
        "--neo4j-home",
        type=click.Path(path_type=Path),
        envvar="BEATGRAPH_NEO4J_HOME",
        default=Path(".neo4j/home"),
        show_default=True,
        help="with --full: the assembled Neo4j home (its lib/ holds neo4j-admin)",
    )
    @click.option(
        "--neo4j-conf",
        type=click.Path(path_type=Path),
        help="with --full: the folder holding the stopped server's neo4j.conf",
    )
    @click.option("--heap", default="2g", show_default=True, help="neo4j-admin's Java heap")
    @click.option("--keep-staging", is_flag=True, help="keep the staged files (debugging)")
    @click.option("--progress/--no-progress", default=True, show_default=True)
    def import_command(
        folder: Path,
        full: bool,
        replace: bool,
        neo4j_home: Path,
        neo4j_conf: Path | None,
        heap: str,
        keep_staging: bool,
        progress: bool,
    ) -> None:
        """Check every row of the export in FOLDER, then load it: into the running
        database with batched writes, or (--full) into a new store with neo4j-admin."""
        admin = None
        if full:
            if neo4j_conf is None:
                raise click.UsageError("--full needs --neo4j-conf")
            admin = AdminTarget(neo4j_home, neo4j_conf, "neo4j", replace, heap)
        graph = None if full else current_app.extensions["beatgraph.graph"]
        try:
            with make_progress(progress) as bars:
                staged, timings = import_folder(folder, bars, graph, admin, keep_staging)
        except ImportRejected as exc:
            for error in exc.errors:
                click.echo(str(error), err=True)
            raise click.ClickException(str(exc)) from None
        except (LoadFailed, AdminImportFailed) as exc:
            raise click.ClickException(str(exc)) from None
        for name, columns in staged.ignored_columns.items():
            if columns:
                click.echo(f"{name}: ignored column(s) {', '.join(columns)}")
        click.echo(", ".join(f"{count:,} {kind}" for kind, count in staged.counts.items()))
        click.echo(", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
        if full:
            click.echo("imported; start Neo4j, then run `flask migrate` to build the indexes")
        else:
            click.echo("imported")
