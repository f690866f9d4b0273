// "Conversation options": a menu (arrow keys, Home/End, Escape returns focus) with Mark as
// read / unread, Follow / Unfollow each participant (on screen first, undone on error),
// Delete conversation, and Report / Block each participant behind a confirming dialog.
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { api, problemText, type ConversationDetail, type Participant } from "../api/client";
import { myId, say } from "../state/app";
import { findConversation, patchConversation } from "../state/conversations";
import { detail, hideConversation, markRead, markUnread } from "../state/thread";
import { setFollowing } from "./follow";
import { Icon } from "./ui";

const REASONS = ["spam", "harassment", "impersonation", "inappropriate", "other"] as const;
type Reason = (typeof REASONS)[number];

function setParticipantFollowing(userId: string, following: boolean): void {
  const current = detail.value;
  if (!current) return;
  const participants = current.participants.map((p) => (p.id === userId ? { ...p, following } : p));
  detail.value = { ...current, participants };
  patchConversation(current.id, { participants });
}

async function toggleFollow(person: Participant): Promise<void> {
  const want = !person.following;
  setParticipantFollowing(person.id, want);
  const { data, error } = await setFollowing(person.id, want).catch(() => ({ data: undefined, error: undefined }));
  if (data) setParticipantFollowing(person.id, data.following);
  else {
    setParticipantFollowing(person.id, !want);
    say(problemText(error, `Could not ${want ? "follow" : "unfollow"} ${person.display_name}.`));
  }
}

/** A modal dialog named by its title; focus stays inside and returns to the menu button. */
function Modal(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = ref.current;
    box?.querySelector<HTMLElement>("input, textarea, button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        props.onClose();
      }
      if (event.key !== "Tab" || !box) return;
      const focusable = [...box.querySelectorAll<HTMLElement>("input, textarea, button, select")].filter((el) => !el.hasAttribute("disabled"));
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last?.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first?.focus();
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, []);
  return (
    <div class="modal" onMouseDown={(event) => event.target === event.currentTarget && props.onClose()}>
      <div ref={ref} class="modal-box" role="dialog" aria-modal="true" aria-labelledby="modal-title">
        <h2 id="modal-title">{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

function ReportDialog(props: { person: Participant; onClose: () => void }) {
  const [reason, setReason] = useState<Reason>("spam");
  const [details, setDetails] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function submit(event: Event) {
    event.preventDefault();
    const { data, error: failure } = await api.POST("/api/v1/users/{user_id}/reports", {
      params: { path: { user_id: props.person.id } },
      body: { reason, ...(details.trim() ? { details: details.trim() } : {}) },
    });
    if (!data) return setError(problemText(failure));
    say(`Thanks. ${props.person.display_name} was reported to the BeatPass team.`);
    props.onClose();
  }
  return (
    <Modal title={`Report ${props.person.display_name}`} onClose={props.onClose}>
      <form onSubmit={submit} class="stack">
        <fieldset>
          <legend>Reason</legend>
          {REASONS.map((value) => (
            <label key={value} class="radio">
              <input type="radio" name="reason" value={value} checked={reason === value} onChange={() => setReason(value)} />
              {value.charAt(0).toUpperCase() + value.slice(1)}
            </label>
          ))}
        </fieldset>
        <label class="stack">
          Details (optional)
          <textarea class="text-input" rows={3} maxLength={2000} value={details} onInput={(e) => setDetails(e.currentTarget.value)} />
        </label>
        {error ? <p class="field-error" role="alert">{error}</p> : null}
        <div class="actions">
          <button type="button" class="button secondary" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="button danger">Send report</button>
        </div>
      </form>
    </Modal>
  );
}

function BlockDialog(props: { person: Participant; onClose: () => void; onBlocked: () => void }) {
  const [error, setError] = useState<string | null>(null);
  async function block() {
    const { data, error: failure } = await api.PUT("/api/v1/users/{user_id}/block", { params: { path: { user_id: props.person.id } } });
    if (!data) return setError(problemText(failure));
    setParticipantFollowing(props.person.id, false);
    say(`You blocked ${props.person.display_name}.`);
    props.onBlocked();
    props.onClose();
  }
  return (
    <Modal title={`Block ${props.person.display_name}?`} onClose={props.onClose}>
      <p>They won't be able to message you or follow you, and you won't get notifications from them. Follows between you are removed.</p>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      <div class="actions">
        <button type="button" class="button secondary" onClick={props.onClose}>Cancel</button>
        <button type="button" class="button danger" onClick={() => void block()}>Block</button>
      </div>
    </Modal>
  );
}

interface Item {
  label: string;
  run: () => void;
  danger?: boolean;
}

export function ConversationMenu(props: { conversation: ConversationDetail; onBlocked: (userId: string) => void }) {
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<{ kind: "report" | "block"; person: Participant } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const c = props.conversation;
  const others = c.participants.filter((p) => p.id !== myId());
  const listed = findConversation(c.id);
  const unread = (listed?.unread_count ?? 0) > 0 || (listed?.marked_unread ?? c.marked_unread);

  const items: Item[] = [
    unread ? { label: "Mark as read", run: () => void markRead(c.id) } : { label: "Mark as unread", run: () => void markUnread(c.id) },
    ...others.map((p) => ({ label: `${p.following ? "Unfollow" : "Follow"} ${p.display_name}`, run: () => void toggleFollow(p) })),
    { label: "Delete conversation", run: () => void hideConversation(c.id), danger: true },
    ...others.map((p) => ({ label: `Report ${p.display_name}`, run: () => setDialog({ kind: "report", person: p }), danger: true })),
    ...others.map((p) => ({ label: `Block ${p.display_name}`, run: () => setDialog({ kind: "block", person: p }), danger: true })),
  ];

  // A layout effect, so the Escape and outside-click handlers are in place as soon as the
  // menu is drawn: Preact runs plain effects a frame later, and an Escape in that frame
  // reached the panel and closed it instead of the menu.
  useLayoutEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    // Escape closes the menu (not the panel) wherever focus is while it is open.
    const onEscape = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("mousedown", onPointer);
    document.addEventListener("keydown", onEscape, true);
    return () => {
      document.removeEventListener("mousedown", onPointer);
      document.removeEventListener("keydown", onEscape, true);
    };
  }, [open]);

  function onKeyDown(event: KeyboardEvent) {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: entries.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      entries[((moves[event.key] ?? 0) + entries.length) % entries.length]?.focus();
    } else if (event.key === "Tab") {
      event.preventDefault();
      setOpen(false);
      button.current?.focus();
    }
  }

  return (
    <div class="menu-wrap">
      <button
        ref={button}
        type="button"
        class="icon-button"
        aria-label="Conversation options"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" />
      </button>
      {open ? (
        <div ref={menu} class="menu" role="menu" aria-label="Conversation options" onKeyDown={onKeyDown}>
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              class={item.danger ? "menu-item danger" : "menu-item"}
              onClick={() => {
                setOpen(false);
                item.run();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      ) : null}
      {dialog?.kind === "report" ? (
        <ReportDialog person={dialog.person} onClose={() => { setDialog(null); button.current?.focus(); }} />
      ) : null}
      {dialog?.kind === "block" ? (
        <BlockDialog
          person={dialog.person}
          onBlocked={() => props.onBlocked(dialog.person.id)}
          onClose={() => { setDialog(null); button.current?.focus(); }}
        />
      ) : null}
    </div>
  );
}
