"""Progress bars for the long steps (rich), quiet when nobody watches."""

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

UPDATE_EVERY = 20_000  # lines between two refreshes: per-line updates would cost more than parsing


def make_progress(enabled: bool) -> Progress:
    """A progress display; disabled, it draws nothing (tests, pipes)."""
    return Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        disable=not enabled,
    )


def count_rows(progress: Progress, description: str, total: int) -> TaskID:
    """A bar counting rows written."""
    return progress.add_task(description, total=total)


def tracked_lines(
    handle: IO[str], path: Path, progress: Progress, description: str
) -> Iterator[str]:
    """The file's lines, moving a bar by the bytes read (approximately: characters)."""
    task = progress.add_task(description, total=path.stat().st_size)
    done = 0
    for number, line in enumerate(handle, 1):
        done += len(line)
        if number % UPDATE_EVERY == 0:
            progress.update(task, completed=done)
        yield line
    progress.update(task, completed=path.stat().st_size)
