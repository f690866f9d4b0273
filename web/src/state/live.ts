// The page's one socket and what its frames do: badge and bell counts, the list, the open
// conversation, receipts (delivered on arrival, read when seen) and typing indicators.
import { signal } from "@preact/signals";
import { api } from "../api/client";
import { RealtimeSocket, type ServerFrame, TypingNotifier } from "../realtime";
import { bearerToken, signedOut } from "../session";
import { badge, myId, socketState } from "./app";
import { loadConversations, patchConversation, removeConversation } from "./conversations";
import { notificationArrived, reloadNotifications } from "./notifications";
import { addMessage, applyStatus, detail, messages, openConversation, openId } from "./thread";

/** conversation id → ids of the people typing in it now. */
export const typing = signal<Record<string, string[]>>({});
/** The last incoming message, for the polite "New message from …" announcement. */
export const announcement = signal("");

let socket: RealtimeSocket | null = null;
const typingExpiry = new Map<string, number>();
const TYPER_TIMEOUT_MS = 7000; // a lost `stop` must not leave the indicator on for good

export const typingNotifier = new TypingNotifier(() => socket);

export function startLive(): void {
  socket = new RealtimeSocket({
    url: "/api/v1/ws",
    token: (force) => bearerToken(force),
    onFrame: handle,
    onState: (state) => {
      socketState.value = state;
    },
    onResync: () => void resync(),
    onUnauthorized: signedOut,
  });
  socket.start();
}

/** Events were lost while away: fetch the list, the open conversation and the counts again. */
export async function resync(): Promise<void> {
  const id = openId.value;
  await Promise.all([
    loadConversations(),
    refreshBadge(),
    reloadNotifications(),
    id ? openConversation(id) : Promise.resolve(),
  ]);
}

export async function refreshBadge(): Promise<void> {
  const { data } = await api.GET("/api/v1/me/unread");
  if (data) badge.value = data;
}

function setTyping(conversationId: string, userId: string, on: boolean): void {
  const key = `${conversationId}:${userId}`;
  window.clearTimeout(typingExpiry.get(key));
  typingExpiry.delete(key);
  const others = (typing.value[conversationId] ?? []).filter((id) => id !== userId);
  if (on) {
    others.push(userId);
    typingExpiry.set(key, window.setTimeout(() => setTyping(conversationId, userId, false), TYPER_TIMEOUT_MS));
  }
  typing.value = { ...typing.value, [conversationId]: others };
}

function handle(frame: ServerFrame): void {
  switch (frame.type) {
    case "message.created": {
      const message = frame.data;
      addMessage(message);
      if (message.sender.id !== myId()) {
        setTyping(message.conversation_id, message.sender.id, false);
        announcement.value = `New message from ${message.sender.display_name}`;
        if (!markSeenIfVisible()) {
          socket?.send({
            type: "delivered",
            data: { conversation_id: message.conversation_id, up_to_seq: message.seq },
          });
        }
      }
      break;
    }
    case "message.status":
      applyStatus(frame.data);
      break;
    case "conversation.updated": {
      const { conversation_id: id, hidden, unread_count, marked_unread } = frame.data;
      if (hidden) removeConversation(id);
      else patchConversation(id, { unread_count, marked_unread });
      break;
    }
    case "unread.badge":
      badge.value = frame.data;
      break;
    case "notification.created":
      notificationArrived(frame.data.notification, frame.data.unread_count);
      break;
    case "typing":
      if (frame.data.user.id !== myId()) {
        setTyping(frame.data.conversation_id, frame.data.user.id, frame.data.state === "start");
      }
      break;
    case "error":
      console.warn("realtime:", frame.data.detail);
      break;
    default:
      break;
  }
}

let seenCheck: (() => boolean) | null = null;

/** The conversation view says when the person can actually see its newest message. */
export function setSeenCheck(check: (() => boolean) | null): void {
  seenCheck = check;
}

/** Read up to the newest message of the open conversation if it is on screen; true if so. */
export function markSeenIfVisible(): boolean {
  const id = openId.value;
  const current = detail.value;
  if (!id || !current || document.visibilityState !== "visible" || !seenCheck?.()) return false;
  const newest = [...messages.value].reverse().find((m) => !m.pending);
  if (!newest) return false;
  const mine = current.participants.find((p) => p.id === myId());
  if (mine && (mine.read_seq ?? 0) >= newest.seq && !current.marked_unread) return true;
  detail.value = {
    ...current,
    marked_unread: false,
    participants: current.participants.map((p) => (p.id === myId() ? { ...p, read_seq: newest.seq } : p)),
  };
  patchConversation(id, { unread_count: 0, marked_unread: false });
  const sent = socket?.send({ type: "read", data: { conversation_id: id, up_to_seq: newest.seq } });
  if (!sent) {
    void api.POST("/api/v1/conversations/{conversation_id}/read", {
      params: { path: { conversation_id: id } },
      body: { up_to_seq: newest.seq },
    });
  }
  return true;
}

document.addEventListener("visibilitychange", () => {
  markSeenIfVisible();
});
