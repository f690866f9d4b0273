// One conversation in the panel: its messages (older ones load when you scroll up), your
// messages' states, "Not sent" + Retry for failed sends, who is typing, and the box.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { myId } from "../state/app";
import { announcement, markSeenIfVisible, setSeenCheck, typing, typingNotifier } from "../state/live";
import {
  closeConversation,
  detail,
  loadOlder,
  messages,
  olderBefore,
  openId,
  retryMessage,
  sendMessage,
  statusText,
  threadError,
  type ThreadMessage,
} from "../state/thread";
import { findConversation } from "../state/conversations";
import { ConversationMenu } from "./ConversationMenu";
import { conversationName } from "./Panel";
import { Avatar, Icon, RelTime, Sentinel } from "./ui";

const NEAR_BOTTOM_PX = 48;

function typingLine(names: string[]): string {
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

function MessageItem(props: { message: ThreadMessage; showSender: boolean }) {
  const m = props.message;
  const mine = m.sender.id === myId();
  const state = statusText(m, detail.value);
  return (
    <li class={`message ${mine ? "mine" : "theirs"} ${m.pending ?? ""}`}>
      {!mine && props.showSender ? <span class="sender">{m.sender.display_name}</span> : null}
      <div class="bubble">{m.body}</div>
      <div class="meta">
        <RelTime iso={m.created_at} />
        {state ? <span class={`state state-${m.pending ?? "stored"}`}>{state}</span> : null}
        {m.pending === "failed" ? (
          <button type="button" class="link-button retry" onClick={() => retryMessage(m.client_id)}>
            Retry
          </button>
        ) : null}
      </div>
    </li>
  );
}

function Composer(props: { conversationId: string; disabled: boolean }) {
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), [props.conversationId]);
  useEffect(() => () => typingNotifier.stop(), [props.conversationId]);

  function submit(event?: Event) {
    event?.preventDefault();
    if (!text.trim()) return;
    typingNotifier.stop();
    sendMessage(text);
    setText("");
    box.current?.focus();
  }

  return (
    <form class="composer" onSubmit={submit}>
      <textarea
        ref={box}
        aria-label="Write a message"
        placeholder={props.disabled ? "You can't reply in this conversation" : "Write a message"}
        rows={1}
        maxLength={4000}
        value={text}
        disabled={props.disabled}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          typingNotifier.input(props.conversationId, value);
        }}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
        }}
      />
      <button type="submit" class="button primary" disabled={props.disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}

export function ConversationView() {
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [blocked, setBlocked] = useState<string[]>([]);
  const id = openId.value;
  const current = detail.value;
  const known = id ? findConversation(id) : undefined;
  const shape = current ?? known;
  const title = shape ? conversationName(shape) : "Conversation";
  const items = messages.value;
  const others = (current?.participants ?? []).filter((p) => p.id !== myId());
  const typers = (typing.value[id ?? ""] ?? []).map(
    (userId) => others.find((p) => p.id === userId)?.display_name.split(" ")[0] ?? "Someone",
  );
  const dmBlocked = current?.kind === "direct" && others.some((p) => blocked.includes(p.id));

  useEffect(() => {
    setSeenCheck(() => {
      const el = list.current;
      return !!el && el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    });
    return () => setSeenCheck(null);
  }, []);

  // New messages keep the view at the bottom if it was there; then they count as seen.
  useLayoutEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
    markSeenIfVisible();
  }, [items.length, current?.id]);

  return (
    <>
      <div class="panel-head">
        <button type="button" class="icon-button" aria-label="Back to conversations" onClick={closeConversation}>
          <Icon name="back" />
        </button>
        {shape?.kind === "direct" && others[0] ? (
          <a class="thread-title" href={`/users/${others[0].id}`}>
            <Avatar id={others[0].id} name={others[0].display_name} url={others[0].avatar_url} size="s" />
            <h2 id="messages-title">{title}</h2>
          </a>
        ) : (
          <h2 id="messages-title" class="thread-title">
            {title}
          </h2>
        )}
        {current ? <ConversationMenu conversation={current} onBlocked={(userId) => setBlocked([...blocked, userId])} /> : null}
      </div>
      <div
        ref={list}
        class="panel-body thread"
        onScroll={(event) => {
          const el = event.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
          if (stick.current) markSeenIfVisible();
        }}
      >
        <Sentinel active={olderBefore.value !== null} generation={items.length} onVisible={() => void loadOlder()}>
          <p class="muted pad">Loading earlier messages…</p>
        </Sentinel>
        {threadError.value ? <p class="field-error pad" role="alert">{threadError.value}</p> : null}
        {current && items.length === 0 ? <p class="empty">Say hi 👋</p> : null}
        <ol class="messages" aria-label={`Messages with ${title}`}>
          {items.map((m, index) => (
            <MessageItem key={m.client_id || m.id} message={m} showSender={current?.kind === "group" && items[index - 1]?.sender.id !== m.sender.id} />
          ))}
        </ol>
      </div>
      <p class="typing" role="status" aria-live="polite" aria-atomic="true">
        {typers.length ? (
          <>
            <span class="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {typingLine(typers)}
          </>
        ) : null}
      </p>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement.value}
      </p>
      {dmBlocked ? <p class="notice">You blocked this person. They can't message you.</p> : null}
      {id ? <Composer conversationId={id} disabled={dmBlocked} /> : null}
    </>
  );
}
