// The panel's recent list, newest activity first, kept current by socket events.
import { signal } from "@preact/signals";
import { api, type Conversation, type Message } from "../api/client";

export const conversations = signal<Conversation[]>([]);
export const listLoaded = signal(false);
export const listCursor = signal<string | null>(null);

const byActivity = (a: Conversation, b: Conversation) => b.updated_at.localeCompare(a.updated_at);

export async function loadConversations(): Promise<void> {
  const { data } = await api.GET("/api/v1/conversations", { params: { query: { limit: 30 } } });
  if (!data) return;
  conversations.value = data.items;
  listCursor.value = data.next_cursor;
  listLoaded.value = true;
}

export async function loadMoreConversations(): Promise<void> {
  const cursor = listCursor.value;
  if (!cursor) return;
  const { data } = await api.GET("/api/v1/conversations", { params: { query: { limit: 30, cursor } } });
  if (!data) return;
  const known = new Set(conversations.value.map((c) => c.id));
  conversations.value = [...conversations.value, ...data.items.filter((c) => !known.has(c.id))];
  listCursor.value = data.next_cursor;
}

export function findConversation(id: string): Conversation | undefined {
  return conversations.value.find((c) => c.id === id);
}

export function patchConversation(id: string, patch: Partial<Conversation>): void {
  conversations.value = conversations.value.map((c) => (c.id === id ? { ...c, ...patch } : c));
}

export function removeConversation(id: string): void {
  conversations.value = conversations.value.filter((c) => c.id !== id);
}

export function upsertConversation(conversation: Conversation): void {
  const rest = conversations.value.filter((c) => c.id !== conversation.id);
  conversations.value = [conversation, ...rest].sort(byActivity);
}

/** A new message moves its conversation to the top; an unknown (or hidden) one reloads the list. */
export function noteMessage(message: Message & { conversation_id: string }): void {
  const known = findConversation(message.conversation_id);
  if (!known) {
    void loadConversations();
    return;
  }
  upsertConversation({
    ...known,
    updated_at: message.created_at,
    last_message: {
      id: message.id,
      seq: message.seq,
      body: message.body,
      created_at: message.created_at,
      sender_id: message.sender.id,
    },
  });
}
