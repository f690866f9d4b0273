// Signed-in state: the HttpOnly `bp_session` cookie, exchanged at the same origin for a
// short-lived Bearer token (docs/web.md). The token lives only in memory; it is renewed
// before it expires, and a failed exchange sends the person to sign in.
import type { components } from "./api/schema";

type SessionToken = components["schemas"]["SessionToken"];

export const CSRF_HEADER = "X-BeatPass-Session";
const SAFETY_MARGIN_MS = 30_000;

let current: { token: string; userId: string; expiresAt: number } | null = null;
let pending: Promise<string | null> | null = null;

function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? "";
}

/** Where signing in happens (BEATGRAPH_LOGIN_URL), defaulting to this app's /login. */
export function loginUrl(): string {
  const url = meta("bp-login-url");
  return url && !url.startsWith("%") ? url : "/login";
}

/** Whether the local, passwordless sign-in (BEATGRAPH_DEV_AUTH=1) is on. */
export const devAuth = (): boolean => meta("bp-dev-auth") === "1";

async function exchange(): Promise<string | null> {
  const response = await fetch("/api/v1/session/token", {
    method: "POST",
    credentials: "same-origin",
    headers: { [CSRF_HEADER]: "1" },
  }).catch(() => null);
  if (!response) return current?.token ?? null; // offline: keep what we have
  if (!response.ok) {
    current = null;
    return null;
  }
  const body = (await response.json()) as SessionToken;
  current = { token: body.token, userId: body.user_id, expiresAt: Date.now() + body.expires_in * 1000 };
  return current.token;
}

/** A Bearer token that is still good (exchanging the cookie when needed); null when signed out. */
export function bearerToken(force = false): Promise<string | null> {
  if (!force && current && current.expiresAt - SAFETY_MARGIN_MS > Date.now()) {
    return Promise.resolve(current.token);
  }
  pending ??= exchange().finally(() => {
    pending = null;
  });
  return pending;
}

/** The signed-in user's id (after a successful `bearerToken()`). */
export const sessionUserId = (): string | null => current?.userId ?? null;

/** Leave for the sign-in page, coming back to where the person was. */
export function signedOut(): void {
  current = null;
  const next = location.pathname + location.search;
  const url = new URL(loginUrl(), location.href);
  url.searchParams.set("next", next);
  location.assign(url.toString());
}

/** Clear the cookie on this origin and go to sign in. */
export async function signOut(): Promise<void> {
  await fetch("/api/v1/session", { method: "DELETE", headers: { [CSRF_HEADER]: "1" } }).catch(() => null);
  current = null;
  location.assign(new URL(loginUrl(), location.href).toString());
}
