"""Loads staged rows into a new store with `neo4j-admin database import full`.

The admin tool writes the store files directly, far faster than transactions, but only
while Neo4j is stopped, and it replaces the whole database. It runs from the assembled
Neo4j home's jars, as scripts/stack.sh runs the server.
"""

import os
import subprocess
from collections import deque
from pathlib import Path

import click

from bulk import spec
from bulk.stage import Staged

JAVA_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dfile.encoding=UTF-8",
)


class AdminImportFailed(Exception):
    """neo4j-admin refused or stopped; its last lines say why."""


def command(
    staged: Staged, neo4j_home: Path, database: str, replace: bool, heap: str, off_heap: str
) -> list[str]:
    """The admin tool's command line for the staged files."""
    args = [
        "java",
        f"-Xmx{heap}",
        *JAVA_FLAGS,
        "-cp",
        f"{neo4j_home}/lib/*",
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        database,  # first: --nodes and --relationships take every argument after them
        f"--overwrite-destination={str(replace).lower()}",
        f"--max-off-heap-memory={off_heap}",  # its default, 90% of RAM, is not ours to take
        "--bad-tolerance=0",  # bulk.stage let no bad row through; any is a bug, not skipped
        "--ignore-empty-strings=true",
        f"--multiline-fields={str(staged.multiline).lower()}",
        f"--report-file={staged.folder / 'neo4j-admin.report'}",
    ]
    for label in spec.NODE_FILES:
        if staged.counts.get(label):
            args.append(f"--nodes={label}={staged.folder / spec.staging_name(label)}")
    for kind in spec.RELATIONSHIP_FILES:
        if staged.counts.get(kind):
            args.append(f"--relationships={kind}={staged.folder / spec.staging_name(kind)}")
    return args


def admin_import(
    staged: Staged,
    neo4j_home: Path,
    neo4j_conf: Path,
    database: str = "neo4j",
    replace: bool = False,
    heap: str = "2g",
    off_heap: str = "2g",
) -> None:
    """Run the admin tool on the staged files, echoing its progress; raise on failure."""
    env = {**os.environ, "NEO4J_HOME": str(neo4j_home), "NEO4J_CONF": str(neo4j_conf)}
    tail: deque[str] = deque(maxlen=30)
    with subprocess.Popen(
        command(staged, neo4j_home, database, replace, heap, off_heap),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as tool:
        assert tool.stdout is not None
        for line in tool.stdout:
            tail.append(line.rstrip())
            click.echo(line, nl=False, err=True)  # stdout is for the summary
    if tool.returncode != 0:
        text = "\n".join(tail)
        hint = ""
        if "already exists" in text or "overwrite-destination" in text:
            hint = "\nthe database exists: pass --replace to overwrite it (its data is lost)"
        elif "in use" in text.lower() or "lock" in text.lower():
            hint = "\nNeo4j is using the store: stop it first (scripts/stack.sh down <profile>)"
        raise AdminImportFailed(f"neo4j-admin exited with {tool.returncode}:\n{text}{hint}")
