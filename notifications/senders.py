"""How outbox entries leave the building: one sender per channel behind one interface.

Email goes through SMTP when `BEATGRAPH_SMTP_HOST` is set and is logged otherwise; push
is logged until a push provider is plugged in behind the same `Sender` interface.
"""

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from api.links import conversation_link

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A sender could not hand the message on; the worker retries it later."""


@dataclass(frozen=True)
class Outgoing:
    """A rendered notification for one recipient on one channel."""

    channel: str
    recipient_id: str
    address: str | None
    subject: str
    text: str
    url: str


class Sender(Protocol):
    def send(self, message: Outgoing) -> None:
        """Deliver or raise `DeliveryFailed`."""


class LoggingSender:
    """Writes each message to the log: the default, and what development runs with."""

    def send(self, message: Outgoing) -> None:
        log.info(
            "%s to %s (%s): %s | %s",
            message.channel,
            message.recipient_id,
            message.address or "-",
            message.subject,
            message.url,
        )


class SmtpSender:
    """Sends email through an SMTP server, one connection per message."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 10,
    ) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: Outgoing) -> None:
        if not message.address:
            raise DeliveryFailed("the recipient has no email address")
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = self.sender, message.address, message.subject
        email.set_content(f"{message.text}\n\n{message.url}\n")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {exc}") from exc


def render(entry: dict[str, Any], public_url: str) -> Outgoing:
    """The subject, text and link of an outbox entry (texts live here, not in Cypher)."""
    actor, subject = entry.get("actor_name") or "Someone", entry.get("subject_name") or ""
    kind = entry["type"]
    if kind == "new_follower":
        title, text, path = (
            f"{actor} followed you",
            f"{actor} (@{subject}) now follows you.",
            f"/users/{entry['subject_id']}",
        )
    elif kind == "new_upload":
        title, text, path = (
            f"New from {actor}: {subject}",
            f"{actor} uploaded a new beat, {subject}.",
            f"/beats/{entry['subject_id']}",
        )
    elif kind == "direct_message":
        where = f" in {subject}" if subject else ""
        title, text, path = (
            f"New message from {actor}",
            f"{actor} sent you a message{where}.",
            conversation_link(entry["subject_id"]),
        )
    else:
        title, text, path = (
            f"{actor} invited you to {subject}",
            f"{actor} invited you to the playlist {subject}.",
            f"/playlists/{entry['subject_id']}",
        )
    return Outgoing(
        channel=entry["channel"],
        recipient_id=entry["recipient_id"],
        address=entry.get("address"),
        subject=title,
        text=text,
        url=public_url.rstrip("/") + path,
    )


def senders_from_config(config: dict[str, Any]) -> dict[str, Sender]:
    """The sender for each channel, as the environment configures them."""
    email: Sender = LoggingSender()
    if config.get("BEATGRAPH_SMTP_HOST"):
        email = SmtpSender(
            config["BEATGRAPH_SMTP_HOST"],
            int(config["BEATGRAPH_SMTP_PORT"]),
            config["BEATGRAPH_SMTP_FROM"],
            username=config.get("BEATGRAPH_SMTP_USER") or None,
            password=config.get("BEATGRAPH_SMTP_PASSWORD") or None,
            starttls=bool(config.get("BEATGRAPH_SMTP_STARTTLS")),
        )
    return {"email": email, "push": LoggingSender()}
