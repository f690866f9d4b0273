// The header on every page: the brand, Your artists, the message icon with its live unread
// badge, the notifications bell, and the account menu. Counts are in the buttons' names;
// the visual badges are hidden from screen readers and take no layout space.
import { useRef, useState } from "preact/hooks";
import { badge, me, panelOpen, socketState } from "../state/app";
import { signOut } from "../session";
import { Avatar, Icon, displayName } from "./ui";
import { Bell } from "./Bell";
import { MessagesPanel, PANEL_OPENED_MARK } from "./Panel";

const SOCKET_LABELS = { live: "Live updates on", connecting: "Connecting…", offline: "Offline" } as const;

function Count(props: { value: number }) {
  return (
    <span class={`count ${props.value > 0 ? "" : "count-none"}`} aria-hidden="true">
      {props.value > 99 ? "99+" : props.value}
    </span>
  );
}

export function Header() {
  const messagesButton = useRef<HTMLButtonElement>(null);
  const [accountOpen, setAccountOpen] = useState(false);
  const unread = badge.value.conversations;
  const user = me.value;
  return (
    <header class="header">
      <div class="header-inner">
        <a class="brand" href="/">
          <span class="brand-mark" aria-hidden="true">B</span>
          <span class="brand-name">BeatPass</span>
        </a>
        <nav class="nav" aria-label="Main">
          <a href="/library/artists">Your artists</a>
        </nav>
        <div class="header-actions">
          <span
            class={`live-dot ${socketState.value}`}
            role="img"
            aria-label={SOCKET_LABELS[socketState.value]}
            title={SOCKET_LABELS[socketState.value]}
          />
          <button
            ref={messagesButton}
            type="button"
            class="icon-button"
            aria-label={unread > 0 ? `Messages, ${unread} unread` : "Messages"}
            aria-expanded={panelOpen.value}
            aria-haspopup="dialog"
            onClick={() => {
              if (!panelOpen.value) performance.mark(PANEL_OPENED_MARK);
              panelOpen.value = !panelOpen.value;
            }}
          >
            <Icon name="message" />
            <Count value={unread} />
          </button>
          <Bell />
          {user ? (
            <div class="account">
              <button
                type="button"
                class="account-button"
                aria-label="Account"
                aria-expanded={accountOpen}
                onClick={() => setAccountOpen(!accountOpen)}
              >
                <Avatar id={user.id} name={displayName(user)} url={user.avatar_url} size="s" />
              </button>
              {accountOpen ? (
                <div class="popover account-menu" onClick={() => setAccountOpen(false)}>
                  <p class="muted">Signed in as @{user.username}</p>
                  <a href={`/users/${user.id}`}>Your profile</a>
                  <a href="/library/artists">Your artists</a>
                  <a href="/settings/notifications">Notification preferences</a>
                  <button type="button" class="link-button" onClick={() => void signOut()}>
                    Sign out
                  </button>
                </div>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>
      {panelOpen.value ? <MessagesPanel returnFocus={() => messagesButton.current?.focus()} /> : null}
    </header>
  );
}
