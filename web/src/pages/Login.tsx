// Sign-in. In production BeatPass's own sign-in sets `bp_session`; this page exists for
// local use: with BEATGRAPH_DEV_AUTH=1 it lists the demo users and signs in as one
// without a password (clearly local only), then goes on to `next`.
import { useEffect, useState } from "preact/hooks";
import { api, problemText } from "../api/client";
import { CSRF_HEADER, devAuth } from "../session";

/** Only a path on this site may be `next` (never another origin). */
export function safeNext(raw: string | null): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return "/";
  return raw;
}

async function signInAs(username: string): Promise<string | null> {
  const minted = await fetch("/api/v1/dev/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username }),
  });
  const body = await minted.json();
  if (!minted.ok) return problemText(body, "That user does not exist.");
  const stored = await fetch("/api/v1/session", {
    method: "PUT",
    headers: { "Content-Type": "application/json", [CSRF_HEADER]: "1" },
    body: JSON.stringify({ token: body.token }),
  });
  return stored.ok ? null : problemText(await stored.json(), "Signing in failed.");
}

export function Login() {
  const [users, setUsers] = useState<{ username: string; display_name: string }[]>([]);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const next = safeNext(new URLSearchParams(location.search).get("next"));

  useEffect(() => {
    if (!devAuth()) return;
    void api.GET("/api/v1/session/demo-users").then(({ data }) => data && setUsers(data.items));
  }, []);

  async function go(username: string) {
    setError(null);
    const failure = await signInAs(username);
    if (failure) setError(failure);
    else location.assign(next);
  }

  if (!devAuth()) {
    return (
      <main class="page narrow login">
        <h1>Sign in to BeatPass</h1>
        <p>You are signed out. Sign in on BeatPass to use messages, follows and notifications.</p>
      </main>
    );
  }
  return (
    <main class="page narrow login">
      <p class="local-only" role="note">Local development only — no password, BEATGRAPH_DEV_AUTH=1</p>
      <h1>Sign in to BeatPass</h1>
      <p class="muted">Pick a demo account.</p>
      <ul class="demo-users" aria-label="Demo users">
        {users.map((u) => (
          <li key={u.username}>
            <button type="button" class="button secondary wide" onClick={() => void go(u.username)}>
              Sign in as {u.display_name} <span class="muted">@{u.username}</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) void go(name.trim());
        }}
      >
        <input class="text-input" aria-label="Username" placeholder="or any username" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit" class="button primary">Sign in</button>
      </form>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
    </main>
  );
}
