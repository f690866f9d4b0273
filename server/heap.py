"""The garbage collector of a process that serves the app, set once the app is loaded.

Two settings, both measured on this box (docs/benchmarks.md, "Garbage collection" and
"Four small cuts to the request path"):

- The loaded app (its modules, routes, schemas: ~114,000 objects that live as long as the
  process) is frozen out of the collector's reach: every full collection walked them, and
  under load one ran every ~2 s for 80-134 ms, the p99 of sends and typing.
- The youngest generation is collected after 10,000 new objects instead of 700. A read
  holds several hundred objects at its peak (a page of twenty messages: records, dicts,
  strings), so at 700 a collection ran in one request of six, ~100 µs each on a request's
  cooled caches; requests free what they make by reference counting, so mostly cyclic
  garbage fills the generation now. 50,000 saved a little more on a read but made each
  collection long enough to double the send → recipient p99 at 50/s (34.5 and 37.3 ms;
  13.9 at 700, 12.8 at 10,000).
"""

import gc

YOUNG_GENERATION_THRESHOLD = 10_000


def settle_loaded_app() -> None:
    """Collect once, freeze what is left, and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)
