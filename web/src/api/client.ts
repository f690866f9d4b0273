// The typed REST client: openapi-fetch over the generated `paths` (scripts/web_types.sh).
// Auth is a middleware: every call carries the session's short-lived Bearer token, and a
// 401 is answered once by a fresh exchange of the `bp_session` cookie and a retry.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { bearerToken, signedOut } from "../session";

export type Schemas = components["schemas"];
export type Conversation = Schemas["Conversation"];
export type ConversationDetail = Schemas["ConversationDetail"];
export type Message = Schemas["Message"];
export type Participant = Schemas["Participant"];
export type UserListItem = Schemas["UserListItem"];
export type UserSummary = Schemas["UserSummary"];
export type Profile = Schemas["Profile"];
export type Me = Schemas["Me"];
export type Producer = Schemas["Producer"];
export type Notification = Schemas["Notification"];
export type Badge = Schemas["Badge"];
export type Preferences = Schemas["Preferences"];
export type Problem = Schemas["Problem"];

const retries = new WeakMap<Request, Request>();

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await bearerToken();
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    retries.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const copy = retries.get(request);
    if (response.status !== 401 || !copy) return response;
    const token = await bearerToken(true);
    if (!token) {
      signedOut();
      return response;
    }
    copy.headers.set("Authorization", `Bearer ${token}`);
    return fetch(copy);
  },
};

export const api = createClient<paths>({ baseUrl: "" });
api.use(auth);

/** The human sentence of a failed call: the problem's detail, or a plain fallback. */
export function problemText(error: unknown, fallback = "Something went wrong. Try again."): string {
  if (error && typeof error === "object" && "detail" in error) {
    const detail = (error as Problem).detail;
    if (detail) return detail.charAt(0).toUpperCase() + detail.slice(1);
  }
  return fallback;
}
