"""Value types both edges validate the same way, REST schemas and WebSocket frames alike:
ids, sequence numbers Neo4j can store, and text without control characters.

Each type carries its JSON Schema (pattern, lengths), so /openapi.json states exactly what
the validator enforces.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, BeforeValidator, Field

INT64_MAX = 2**63 - 1  # the largest integer Neo4j stores; larger ones cannot even be sent

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
Id = Annotated[str, Field(pattern=ID_PATTERN, description="an id: 1-64 of A-Z a-z 0-9 _ -")]


def _json_integer(value: Any) -> Any:
    """JSON Schema's integer: a number without a fraction (`7.0` is one), never `true` or
    `"7"` (query strings, which are always text, use plain ints instead)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a JSON integer")
    return value


Seq = Annotated[int, Field(ge=0, le=INT64_MAX), BeforeValidator(_json_integer)]

# C0 controls, DEL and C1 controls; in single-line text also the Unicode line and
# paragraph separators; everywhere the bidi embeddings, overrides and isolates that make
# text display other than it reads (U+202A-202E, U+2066-2069).
_BIDI = r"\u202a-\u202e\u2066-\u2069"
_FORBIDDEN_LINE = r"\x00-\x1f\x7f-\x9f\u2028\u2029" + _BIDI
_FORBIDDEN_MULTILINE = r"\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI  # keeps \t and \n
# What str.strip() removes, less the characters refused anyway.
_SPACE_LINE = r" \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACE_MULTILINE = _SPACE_LINE + r"\t\n\u2028\u2029"


def _text_pattern(min_length: int, max_length: int, allow_blank: bool, multiline: bool) -> str:
    """A regex (valid in Python and in JSON Schema) for text that, once trimmed, is
    `min_length`-`max_length` characters (or blank) with no refused character anywhere."""
    forbidden = _FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_LINE
    space = _SPACE_MULTILINE if multiline else _SPACE_LINE
    any_char, solid, blank = f"[^{forbidden}]", f"[^{forbidden}{space}]", f"[{space}]"
    if min_length >= 2:
        core = f"{solid}{any_char}{{{min_length - 2},{max_length - 2}}}{solid}"
    else:
        core = f"{solid}(?:{any_char}{{0,{max_length - 2}}}{solid})?"
    if allow_blank:
        core = f"(?:{core})?"
    return f"^{blank}*{core}{blank}*$"


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """Annotate a `str` with `Text(max_length, ...)`: trimmed, then `min_length`-`max_length`
    characters (or empty, with `allow_blank`); never a control character (multi-line text
    may keep \\n and \\t) or a bidi override. Up to twice `max_length` characters may
    arrive, counting the whitespace around them."""

    max_length: int
    min_length: int = 1
    allow_blank: bool = False
    multiline: bool = False

    def __iter__(self) -> Iterator[Any]:
        pattern = _text_pattern(self.min_length, self.max_length, self.allow_blank, self.multiline)
        size = f"{self.min_length}-{self.max_length} characters" + (
            " or blank" if self.allow_blank else ""
        )
        yield Field(
            min_length=0 if self.allow_blank else self.min_length,
            max_length=2 * self.max_length,
            json_schema_extra={"pattern": pattern},
            description=f"{size} after trimming whitespace; no control characters"
            + (" other than \\n and \\t" if self.multiline else "")
            + " and no bidi overrides",
        )
        yield AfterValidator(self._checker(re.compile(pattern)))

    def _checker(self, compiled: re.Pattern[str]) -> Callable[[str], str]:
        refused = re.compile(f"[{_FORBIDDEN_MULTILINE if self.multiline else _FORBIDDEN_LINE}]")

        def check(value: str) -> str:
            if compiled.fullmatch(value) is None:
                bad = refused.search(value)
                if bad:
                    raise ValueError(
                        f"must not contain control or bidi characters "
                        f"(U+{ord(bad.group()):04X} at {bad.start()})"
                    )
                raise ValueError(
                    f"must be {self.min_length}-{self.max_length} characters "
                    "after trimming" + (" (or blank)" if self.allow_blank else "")
                )
            return value.strip()

        return check
