"""`flask import`: stage the export, then load it online or with neo4j-admin."""

import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.progress import Progress

from bulk.admin import admin_import
from bulk.online import existing_in, load
from bulk.stage import Staged, Stager
from graph.db import Graph
from graph.schema import apply_schema


@dataclass(frozen=True)
class AdminTarget:
    """Where neo4j-admin writes: the Neo4j home (its jars) and the stopped server's conf."""

    neo4j_home: Path
    neo4j_conf: Path
    database: str
    replace: bool
    heap: str = "2g"
    off_heap: str = "2g"


def stage(source: Path, staging: Path, progress: Progress, graph: Graph | None) -> Staged:
    """Check every file and write the staging rows (raises ImportRejected on a bad row)."""
    existing = existing_in(graph) if graph is not None else None
    return Stager(source, staging, progress, existing).run()


def import_folder(
    source: Path,
    progress: Progress,
    graph: Graph | None = None,
    admin: AdminTarget | None = None,
    keep_staging: bool = False,
) -> tuple[Staged, dict[str, float]]:
    """Import the export in `source`: online into `graph`, or with neo4j-admin into a new
    store (`admin`). Returns what was staged and the seconds each phase took."""
    staging = Path(tempfile.mkdtemp(prefix=".import-staging-", dir=source))
    timings: dict[str, float] = {}
    try:
        started, cpu = time.perf_counter(), time.process_time()
        if graph is not None:
            apply_schema(graph)  # the loader finds each endpoint by a unique-index seek
        staged = stage(source, staging, progress, graph)
        timings["check and stage"] = time.perf_counter() - started
        timings["check and stage, CPU"] = time.process_time() - cpu
        started = time.perf_counter()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        if admin is not None:
            admin_import(
                staged,
                admin.neo4j_home,
                admin.neo4j_conf,
                admin.database,
                admin.replace,
                admin.heap,
            )
            timings["neo4j-admin import"] = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the tool's own CPU seconds
            timings["neo4j-admin import, CPU"] = (
                after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
            )
        else:
            assert graph is not None
            load(graph, staged, progress)
            timings["load"] = time.perf_counter() - started
        return staged, timings
    finally:
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)
