// Page-wide state: who is signed in, the socket, the two header counts, the panel.
import { signal } from "@preact/signals";
import type { Badge, Me } from "../api/client";
import type { SocketState } from "../realtime";

export const me = signal<Me | null>(null);
export const socketState = signal<SocketState>("offline");
export const badge = signal<Badge>({ conversations: 0, messages: 0 });
export const bellUnread = signal(0);

export type PanelView = "list" | "new" | "conversation";
export const panelOpen = signal(false);
export const panelView = signal<PanelView>("list");
/** Set by the panel: a toast-like line for an action that failed outside any form. */
export const flash = signal<string | null>(null);

export const myId = (): string => me.value?.id ?? "";

/** Show a short message in the page's polite status region. */
export function say(text: string): void {
  flash.value = text;
  window.setTimeout(() => {
    if (flash.value === text) flash.value = null;
  }, 5000);
}
