// The notifications bell: its unread count (live) and a popover list, newest first.
import { useEffect, useRef, useState } from "preact/hooks";
import { useLocation } from "preact-iso/router";
import type { Notification } from "../api/client";
import { bellUnread } from "../state/app";
import {
  loadMoreNotifications,
  markNotificationsRead,
  notificationText,
  notifications,
  notificationsCursor,
  notificationsLoaded,
  reloadNotifications,
} from "../state/notifications";
import { openConversation } from "../state/thread";
import { Avatar, Icon, RelTime, Sentinel } from "./ui";

export function Bell() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const { route } = useLocation();
  const unread = bellUnread.value;

  useEffect(() => {
    if (!open) return;
    if (!notificationsLoaded.value) void reloadNotifications();
    dialog.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close();
    };
    const onClick = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!dialog.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  function go(n: Notification) {
    if (!n.read) void markNotificationsRead([n.id]);
    setOpen(false);
    if (n.type === "new_follower" && n.actor) route(`/users/${n.actor.id}`);
    else if (n.type === "new_upload" && n.producer) route(`/producers/${n.producer.id}`);
    else if (n.type === "direct_message" && n.conversation) void openConversation(n.conversation.id);
  }

  return (
    <div class="bell">
      <button
        ref={button}
        type="button"
        class="icon-button"
        aria-label={unread > 0 ? `Notifications, ${unread} unread` : "Notifications"}
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
      >
        <Icon name="bell" />
        <span class={`count ${unread > 0 ? "" : "count-none"}`} aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      </button>
      {open ? (
        <div ref={dialog} class="popover bell-popover" role="dialog" aria-labelledby="bell-title" tabIndex={-1}>
          <div class="popover-head">
            <h2 id="bell-title">Notifications</h2>
            <button type="button" class="link-button" disabled={unread === 0} onClick={() => void markNotificationsRead("all")}>
              Mark all as read
            </button>
          </div>
          {notificationsLoaded.value && notifications.value.length === 0 ? (
            <p class="empty">Nothing yet. New followers, uploads, messages and invites show up here.</p>
          ) : null}
          <ul class="notification-list">
            {notifications.value.map((n) => (
              <li key={n.id}>
                <button type="button" class={`notification ${n.read ? "" : "unread"}`} onClick={() => go(n)}>
                  <Avatar id={n.actor?.id ?? n.producer?.id ?? n.id} name={n.actor?.display_name ?? n.producer?.name ?? "B"} size="s" />
                  <span class="notification-text">
                    {notificationText(n)}
                    <RelTime iso={n.created_at} />
                  </span>
                  {n.read ? null : <span class="visually-hidden">, unread</span>}
                </button>
              </li>
            ))}
          </ul>
          <Sentinel active={notificationsCursor.value !== null} generation={notifications.value.length} onVisible={() => void loadMoreNotifications()}>
            <p class="muted">Loading…</p>
          </Sentinel>
          <a class="popover-foot" href="/settings/notifications" onClick={() => setOpen(false)}>
            Notification preferences
          </a>
        </div>
      ) : null}
    </div>
  );
}
