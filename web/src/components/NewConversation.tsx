// New message: a blank box suggests people you follow first; search starts at 2 characters
// (debounced, stale answers dropped). One person opens your DM with them (reused if it
// exists); two or more start a group with an optional title.
import { useEffect, useRef, useState } from "preact/hooks";
import { api, problemText, type UserListItem } from "../api/client";
import { panelView } from "../state/app";
import { upsertConversation } from "../state/conversations";
import { openConversation } from "../state/thread";
import { Avatar, Icon, displayName } from "./ui";

const DEBOUNCE_MS = 200;

function useSuggestions(term: string) {
  const [items, setItems] = useState<UserListItem[]>([]);
  const [state, setState] = useState<"idle" | "loading" | "short" | "error">("loading");
  const latest = useRef(term);
  useEffect(() => {
    latest.current = term;
    const q = term.trim();
    if (q.length === 1) {
      setState("short");
      return;
    }
    setState("loading");
    const timer = window.setTimeout(async () => {
      const { data } = await api.GET("/api/v1/messaging/suggestions", { params: { query: { q, limit: 20 } } });
      if (latest.current !== term) return; // the box has moved on; drop this answer
      if (data) {
        setItems(data.items);
        setState("idle");
      } else setState("error");
    }, q ? DEBOUNCE_MS : 0);
    return () => window.clearTimeout(timer);
  }, [term]);
  return { items, state };
}

export function NewConversation() {
  const [term, setTerm] = useState("");
  const [chosen, setChosen] = useState<UserListItem[]>([]);
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const { items, state } = useSuggestions(term);

  useEffect(() => box.current?.focus(), []);

  function toggle(user: UserListItem) {
    setChosen((now) => (now.some((u) => u.id === user.id) ? now.filter((u) => u.id !== user.id) : [...now, user]));
    setTerm("");
    box.current?.focus();
  }

  async function start() {
    setBusy(true);
    setError(null);
    const body = { participant_ids: chosen.map((u) => u.id), ...(chosen.length > 1 && title.trim() ? { title: title.trim() } : {}) };
    const { data, error: failure } = await api.POST("/api/v1/conversations", { body });
    setBusy(false);
    if (!data) {
      setError(problemText(failure, "The conversation could not be started."));
      return;
    }
    upsertConversation(data);
    void openConversation(data.id);
  }

  return (
    <>
      <div class="panel-head">
        <button type="button" class="icon-button" aria-label="Back to conversations" onClick={() => (panelView.value = "list")}>
          <Icon name="back" />
        </button>
        <h2 id="messages-title">New message</h2>
      </div>
      <div class="panel-body new-conversation">
        <div class="chips-box" onClick={() => box.current?.focus()}>
          {chosen.map((user) => (
            <span class="chip" key={user.id}>
              {displayName(user)}
              <button type="button" aria-label={`Remove ${displayName(user)}`} onClick={() => toggle(user)}>
                <Icon name="close" />
              </button>
            </span>
          ))}
          <input
            ref={box}
            type="search"
            aria-label="Search people"
            placeholder={chosen.length ? "Add more people" : "Search people"}
            value={term}
            onInput={(event) => setTerm(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === "Backspace" && !term && chosen.length) setChosen(chosen.slice(0, -1));
            }}
          />
        </div>
        {chosen.length > 1 ? (
          <input
            class="text-input"
            type="text"
            aria-label="Group name (optional)"
            placeholder="Group name (optional)"
            maxLength={100}
            value={title}
            onInput={(event) => setTitle(event.currentTarget.value)}
          />
        ) : null}
        {chosen.length > 0 ? (
          <button type="button" class="button primary wide" disabled={busy} aria-busy={busy} onClick={() => void start()}>
            {chosen.length === 1 ? `Message ${displayName(chosen[0]!)}` : `Create group with ${chosen.length} people`}
          </button>
        ) : null}
        {error ? <p class="field-error" role="alert">{error}</p> : null}
        <p class="muted small" aria-live="polite">
          {state === "short" ? "Type at least 2 characters to search." : term.trim() ? "" : "People you follow"}
        </p>
        <ul class="people-list" aria-label="People">
          {state === "short"
            ? null
            : items.map((user) => {
                const picked = chosen.some((u) => u.id === user.id);
                return (
                  <li key={user.id}>
                    <button type="button" class="person" aria-pressed={picked} onClick={() => toggle(user)}>
                      <Avatar id={user.id} name={displayName(user)} url={user.avatar_url} size="s" />
                      <span class="user-names">
                        <span class="name">{displayName(user)}</span>
                        <span class="muted">
                          @{user.username}
                          {user.relationship.following ? " · Following" : user.relationship.followed_by ? " · Follows you" : ""}
                        </span>
                      </span>
                      {picked ? <Icon name="check" class="picked" /> : null}
                    </button>
                  </li>
                );
              })}
        </ul>
        {state === "idle" && items.length === 0 && term.trim() ? <p class="empty">Nobody found for “{term.trim()}”.</p> : null}
      </div>
    </>
  );
}
