// The WebSocket channel of docs/realtime.md, typed: one socket per page, authenticated by
// an `auth` frame (so no token lands in a URL or a log), answered pings, reconnect with
// capped exponential backoff and `?since=<last event id>` resume, `resync.required` handed
// to the caller, and a typing notifier that renews `start` every ~3 s while keys are pressed.
import type { components } from "./api/schema";

type Message = components["schemas"]["Message"];
type Notification = components["schemas"]["Notification"];

export interface MessageStatusData {
  conversation_id: string;
  user_id: string;
  read_seq: number;
  delivered_seq: number;
  marked_unread: boolean;
}
export interface ConversationUpdatedData {
  conversation_id: string;
  unread_count: number;
  marked_unread: boolean;
  hidden?: boolean;
  read_seq?: number;
  delivered_seq?: number;
}
export interface TypingData {
  conversation_id: string;
  user: { id: string };
  state: "start" | "stop";
}
export interface ErrorData {
  status: number;
  title: string;
  detail: string;
  field?: string;
}

interface Frame<T extends string, D, I = string> {
  id: I;
  type: T;
  data: D;
  ts: number;
}

/** Every frame the server sends. */
export type ServerFrame =
  | Frame<"message.created", Message & { conversation_id: string }>
  | Frame<"message.status", MessageStatusData>
  | Frame<"conversation.updated", ConversationUpdatedData>
  | Frame<"unread.badge", { conversations: number; messages: number }>
  | Frame<"notification.created", { notification: Notification; unread_count: number }>
  | Frame<"typing", TypingData, null>
  | Frame<"ping", Record<string, never>, null>
  | Frame<"resync.required", { since: string | null }, null>
  | Frame<"error", ErrorData, null>;

/** Every frame the client may send. */
export type ClientFrame =
  | { type: "auth"; token: string }
  | { type: "typing"; data: { conversation_id: string; state: "start" | "stop" } }
  | { type: "delivered"; data: { conversation_id: string; up_to_seq: number } }
  | { type: "read"; data: { conversation_id: string; up_to_seq?: number } }
  | { type: "pong"; data: Record<string, never> };

/** connecting → live (the server has registered this socket) → offline (waiting to retry). */
export type SocketState = "connecting" | "live" | "offline";

export interface SocketOptions {
  url: string;
  token: (force: boolean) => Promise<string | null>;
  onFrame: (frame: ServerFrame) => void;
  onState: (state: SocketState) => void;
  onResync: () => void;
  onUnauthorized: () => void;
}

const UNAUTHORIZED = 4401;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_CAP_MS = 10_000;
// The server has no "ready" frame; an unknown frame type is answered with an `error` only
// after the socket is authenticated, registered and replayed, so its answer means "live".
const PROBE = JSON.stringify({ type: "hello", data: {} });

export class RealtimeSocket {
  private ws: WebSocket | null = null;
  private lastEventId: string | null = null;
  private attempt = 0;
  private timer: number | undefined;
  private stopped = false;
  private forceToken = false;
  private probing = false;
  private connectedBefore = false;
  private resumedFrom: string | null = null;
  state: SocketState = "offline";

  constructor(private readonly options: SocketOptions) {
    addEventListener("online", () => this.reconnectNow());
    // An open socket can outlive the network without noticing; drop it and resume later.
    addEventListener("offline", () => this.ws?.close(4000, "offline"));
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, "bye");
  }

  /** Send a frame if the socket is live; false otherwise (the caller may use REST). */
  send(frame: ClientFrame): boolean {
    if (this.state !== "live" || !this.ws) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  private setState(state: SocketState): void {
    this.state = state;
    this.options.onState(state);
  }

  private async connect(): Promise<void> {
    clearTimeout(this.timer);
    this.setState("connecting");
    const token = await this.options.token(this.forceToken);
    this.forceToken = false;
    if (this.stopped) return;
    if (!token) {
      this.options.onUnauthorized();
      return;
    }
    const url = new URL(this.options.url, location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.resumedFrom = this.lastEventId;
    if (this.lastEventId) url.searchParams.set("since", this.lastEventId);
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "auth", token } satisfies ClientFrame));
      this.probing = true;
      ws.send(PROBE);
    };
    ws.onmessage = (event) => this.receive(event.data as string);
    ws.onclose = (event) => this.closed(ws, event.code);
  }

  private receive(text: string): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (frame.id) this.lastEventId = frame.id;
    if (frame.type === "error" && this.probing && frame.data.field === "type") {
      this.probing = false;
      this.attempt = 0;
      this.setState("live");
      // Back after a drop with no event id to resume from: what was missed is unknown.
      if (this.connectedBefore && !this.resumedFrom) this.options.onResync();
      this.connectedBefore = true;
      return;
    }
    if (frame.type === "ping") this.ws?.send(JSON.stringify({ type: "pong", data: {} } satisfies ClientFrame));
    else if (frame.type === "resync.required") this.options.onResync();
    else this.options.onFrame(frame);
  }

  private closed(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.probing = false;
    this.setState("offline");
    if (this.stopped) return;
    if (code === UNAUTHORIZED) this.forceToken = true;
    const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    this.attempt += 1;
    // Jitter spreads the reconnects of many clients after a restart.
    this.timer = window.setTimeout(() => void this.connect(), delay * (0.5 + Math.random() / 2));
  }

  private reconnectNow(): void {
    if (this.stopped || this.state === "live") return;
    this.attempt = 0;
    void this.connect();
  }
}

const TYPING_RENEW_MS = 3000; // the server drops a `start` after 6 s without renewal
const TYPING_IDLE_MS = 3000;

/** Sends `typing` start/stop for one box: start on input (renewed every ~3 s while typing),
 * stop after 3 s without a key, when the box is emptied, on send and on leaving. */
export class TypingNotifier {
  private conversationId: string | null = null;
  private lastStart = 0;
  private idle: number | undefined;

  constructor(private readonly socket: () => RealtimeSocket | null) {}

  input(conversationId: string, text: string): void {
    if (this.conversationId && this.conversationId !== conversationId) this.stop();
    if (!text.trim()) {
      this.stop();
      return;
    }
    const now = Date.now();
    if (this.conversationId !== conversationId || now - this.lastStart >= TYPING_RENEW_MS) {
      if (this.frame(conversationId, "start")) {
        this.conversationId = conversationId;
        this.lastStart = now;
      }
    }
    clearTimeout(this.idle);
    this.idle = window.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.idle);
    if (this.conversationId) this.frame(this.conversationId, "stop");
    this.conversationId = null;
    this.lastStart = 0;
  }

  private frame(conversationId: string, state: "start" | "stop"): boolean {
    return this.socket()?.send({ type: "typing", data: { conversation_id: conversationId, state } }) ?? false;
  }
}
