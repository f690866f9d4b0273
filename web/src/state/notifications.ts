// The bell: its unread count (live over the socket) and its newest-first list.
import { signal } from "@preact/signals";
import { api, type Notification } from "../api/client";
import { bellUnread } from "./app";

export const notifications = signal<Notification[]>([]);
export const notificationsCursor = signal<string | null>(null);
export const notificationsLoaded = signal(false);

export async function reloadNotifications(): Promise<void> {
  const { data } = await api.GET("/api/v1/me/notifications", { params: { query: { limit: 20 } } });
  if (!data) return;
  notifications.value = data.items;
  notificationsCursor.value = data.next_cursor;
  bellUnread.value = data.unread_count;
  notificationsLoaded.value = true;
}

export async function loadMoreNotifications(): Promise<void> {
  const cursor = notificationsCursor.value;
  if (!cursor) return;
  const { data } = await api.GET("/api/v1/me/notifications", { params: { query: { limit: 20, cursor } } });
  if (!data) return;
  const known = new Set(notifications.value.map((n) => n.id));
  notifications.value = [...notifications.value, ...data.items.filter((n) => !known.has(n.id))];
  notificationsCursor.value = data.next_cursor;
}

export function notificationArrived(notification: Notification, unread: number): void {
  notifications.value = [notification, ...notifications.value.filter((n) => n.id !== notification.id)];
  bellUnread.value = unread;
}

export async function markNotificationsRead(ids: string[] | "all"): Promise<void> {
  const before = notifications.value;
  notifications.value = before.map((n) => (ids === "all" || ids.includes(n.id) ? { ...n, read: true } : n));
  const body = ids === "all" ? { all: true as const } : { ids };
  const { data } = await api.POST("/api/v1/me/notifications/read", { body });
  if (data) bellUnread.value = data.unread_count;
  else notifications.value = before;
}

/** The sentence a notification reads as in the bell. */
export function notificationText(n: Notification): string {
  const who = n.actor?.display_name ?? "Someone";
  switch (n.type) {
    case "new_follower":
      return `${who} started following you`;
    case "new_upload":
      return `${n.producer?.name ?? "A producer you follow"} uploaded ${n.beat?.title ?? "a new beat"}`;
    case "direct_message": {
      const count = n.message_count ?? 1;
      return `${who} sent you ${count === 1 ? "a message" : `${count} messages`}`;
    }
    case "playlist_invite":
      return `${who} invited you to the playlist ${n.playlist_name ?? ""}`.trim();
    default:
      return "New activity";
  }
}
