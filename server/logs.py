"""Log lines that user text cannot split: control and bidi characters in a message are
escaped (`\\n` is written as the two characters `\\` `n`), so a display name can never
start a forged line of its own. Tracebacks keep their lines."""

import logging
import re

# The characters graph.fields refuses in new text, plus tab: names stored before that
# rule, or text that never passed it (an SMTP server's reply), may still hold them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def escape_controls(text: str) -> str:
    """`text` with every control or bidi character written as its Python escape."""
    return _UNSAFE.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class OneLineFormatter(logging.Formatter):
    """A formatter whose messages are always one line."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escape_controls(record.message)
        return super().formatMessage(record)


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr at `level`, one line per message."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
