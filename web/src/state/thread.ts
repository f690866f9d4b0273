// The open conversation: its detail (participants and their markers), its messages in
// seq order with this page's unsent ones after them, and who is typing in it.
import { signal } from "@preact/signals";
import { api, type ConversationDetail, type Message, problemText } from "../api/client";
import { myId, panelOpen, panelView, say } from "./app";
import {
  findConversation,
  noteMessage,
  patchConversation,
  removeConversation,
  upsertConversation,
} from "./conversations";
import type { MessageStatusData } from "../realtime";

export interface ThreadMessage extends Message {
  pending?: "sending" | "failed";
}

export const openId = signal<string | null>(null);
export const detail = signal<ConversationDetail | null>(null);
export const messages = signal<ThreadMessage[]>([]);
export const olderBefore = signal<number | null>(null);
export const threadError = signal<string | null>(null);

const PAGE = 30;
let loadToken = 0;

const sorted = (items: ThreadMessage[]) =>
  [...items].sort((a, b) => (a.pending ? 1 : 0) - (b.pending ? 1 : 0) || a.seq - b.seq);

/** What is on screen and not in `page`: unsent messages, and messages stored or received
 * while the page was on its way (it may have been read before they existed). A pending copy
 * goes once the page holds the stored message of the same `client_id`. */
function notIn(page: Message[], shown: ThreadMessage[]): ThreadMessage[] {
  const ids = new Set(page.map((m) => m.id));
  const clientIds = new Set(page.map((m) => m.client_id));
  return shown.filter((m) => !ids.has(m.id) && !(m.pending && clientIds.has(m.client_id)));
}

/** Open the panel on a conversation: show what the list knows at once, then load it. */
export async function openConversation(id: string): Promise<void> {
  const token = ++loadToken;
  panelOpen.value = true;
  panelView.value = "conversation";
  if (openId.value !== id) {
    openId.value = id;
    detail.value = null;
    messages.value = [];
    olderBefore.value = null;
  }
  threadError.value = null;
  const [info, page] = await Promise.all([
    api.GET("/api/v1/conversations/{conversation_id}", { params: { path: { conversation_id: id } } }),
    api.GET("/api/v1/conversations/{conversation_id}/messages", {
      params: { path: { conversation_id: id }, query: { limit: PAGE } },
    }),
  ]);
  if (token !== loadToken) return;
  if (!info.data || !page.data) {
    threadError.value = problemText(info.error ?? page.error, "This conversation could not be opened.");
    return;
  }
  detail.value = info.data;
  messages.value = sorted([...page.data.items.reverse(), ...notIn(page.data.items, messages.value)]);
  olderBefore.value = page.data.next_before_seq;
}

export function closeConversation(): void {
  loadToken++;
  openId.value = null;
  detail.value = null;
  messages.value = [];
  panelView.value = "list";
}

export async function loadOlder(): Promise<void> {
  const id = openId.value;
  const before = olderBefore.value;
  if (!id || !before) return;
  olderBefore.value = null;
  const { data } = await api.GET("/api/v1/conversations/{conversation_id}/messages", {
    params: { path: { conversation_id: id }, query: { limit: PAGE, before_seq: before } },
  });
  if (!data || openId.value !== id) return;
  const known = new Set(messages.value.map((m) => m.id));
  messages.value = sorted([...data.items.filter((m) => !known.has(m.id)), ...messages.value]);
  olderBefore.value = data.next_before_seq;
}

/** Merge a stored message (from the socket or a send's answer), replacing its pending copy. */
export function addMessage(message: Message & { conversation_id: string }): void {
  noteMessage(message);
  if (message.conversation_id !== openId.value) return;
  const rest = messages.value.filter((m) => m.id !== message.id && m.client_id !== message.client_id);
  messages.value = sorted([...rest, message]);
}

function newClientId(): string {
  return crypto.randomUUID();
}

async function post(conversationId: string, pending: ThreadMessage): Promise<void> {
  const { data, error } = await api
    .POST("/api/v1/conversations/{conversation_id}/messages", {
      params: { path: { conversation_id: conversationId } },
      body: { client_id: pending.client_id, body: pending.body },
    })
    .catch(() => ({ data: undefined, error: undefined }));
  if (data) {
    addMessage({ ...data, conversation_id: conversationId });
    return;
  }
  if (error) say(problemText(error, "The message was not sent."));
  messages.value = messages.value.map((m) =>
    m.client_id === pending.client_id ? { ...m, pending: "failed" } : m,
  );
}

/** Send: a `client_id` is made once here and kept, so Retry is the same message again. */
export function sendMessage(body: string): void {
  const conversationId = openId.value;
  const me = myId();
  if (!conversationId || !body.trim()) return;
  const pending: ThreadMessage = {
    id: `pending:${newClientId()}`,
    conversation_id: conversationId,
    seq: Number.MAX_SAFE_INTEGER,
    sender: { id: me, username: "", display_name: "You", avatar_url: null },
    body: body.trim(),
    created_at: new Date().toISOString(),
    client_id: newClientId(),
    status: null,
    seen_by: null,
    pending: "sending",
  };
  messages.value = sorted([...messages.value, pending]);
  void post(conversationId, pending);
}

export function retryMessage(clientId: string): void {
  const conversationId = openId.value;
  const message = messages.value.find((m) => m.client_id === clientId && m.pending === "failed");
  if (!conversationId || !message) return;
  messages.value = messages.value.map((m) => (m === message ? { ...m, pending: "sending" } : m));
  void post(conversationId, message);
}

/** Another participant's markers moved: your messages' Delivered/Seen follow from them. */
export function applyStatus(data: MessageStatusData): void {
  const current = detail.value;
  if (!current || current.id !== data.conversation_id) return;
  detail.value = {
    ...current,
    participants: current.participants.map((p) =>
      p.id === data.user_id ? { ...p, read_seq: data.read_seq, delivered_seq: data.delivered_seq } : p,
    ),
  };
}

/** "Sent", "Delivered", "Seen", or in a group "Seen by N", for one of your messages. */
export function statusText(message: ThreadMessage, conversation: ConversationDetail | null): string | null {
  if (message.pending === "sending") return "Sending…";
  if (message.pending === "failed") return "Not sent";
  if (message.sender.id !== myId() || !conversation) return null;
  const others = conversation.participants.filter((p) => p.id !== myId());
  const seen = others.filter((p) => (p.read_seq ?? 0) >= message.seq).length;
  const delivered = others.every((p) => (p.delivered_seq ?? 0) >= message.seq);
  if (conversation.kind === "group") {
    if (seen > 0) return `Seen by ${seen}`;
  } else if (seen === others.length && seen > 0) {
    return "Seen";
  }
  return delivered && others.length > 0 ? "Delivered" : "Sent";
}

/** Mark unread first on screen, undo if the server refuses; the panel goes back to the list. */
export async function markUnread(id: string): Promise<void> {
  const before = findConversation(id);
  patchConversation(id, { marked_unread: true });
  closeConversation();
  const { data, error } = await api.POST("/api/v1/conversations/{conversation_id}/unread", {
    params: { path: { conversation_id: id } },
  });
  if (data) patchConversation(id, { marked_unread: data.marked_unread, unread_count: data.unread_count });
  else if (before) {
    patchConversation(id, { marked_unread: before.marked_unread });
    say(problemText(error));
  }
}

export async function markRead(id: string): Promise<void> {
  const before = findConversation(id);
  patchConversation(id, { marked_unread: false, unread_count: 0 });
  const { data, error } = await api.POST("/api/v1/conversations/{conversation_id}/read", {
    params: { path: { conversation_id: id } },
    body: {},
  });
  if (data) patchConversation(id, { marked_unread: data.marked_unread, unread_count: data.unread_count });
  else if (before) {
    patchConversation(id, { marked_unread: before.marked_unread, unread_count: before.unread_count });
    say(problemText(error));
  }
}

/** Delete hides the conversation from your list until a new message arrives in it. */
export async function hideConversation(id: string): Promise<void> {
  const before = findConversation(id);
  removeConversation(id);
  closeConversation();
  const { error } = await api.DELETE("/api/v1/conversations/{conversation_id}", {
    params: { path: { conversation_id: id } },
  });
  if (error && before) {
    upsertConversation(before);
    say(problemText(error));
  }
}
