// Notification Preferences: each type × in-app / email / push. A switch saves at once
// (shown first, undone with a message if the server refuses).
import { useEffect, useState } from "preact/hooks";
import { api, problemText, type Preferences } from "../api/client";

type Kind = keyof Preferences;
type Channel = "in_app" | "email" | "push";

const GROUPS: { title: string; kinds: { kind: Kind; label: string; hint: string }[] }[] = [
  {
    title: "Following",
    kinds: [
      { kind: "new_follower", label: "New follower", hint: "Someone follows your profile" },
      { kind: "new_uploads", label: "New uploads", hint: "A producer you follow uploads new beats" },
    ],
  },
  {
    title: "Messages",
    kinds: [
      { kind: "direct_messages", label: "Direct messages", hint: "Someone messages you while you're away" },
      { kind: "playlist_invites", label: "Playlist invites", hint: "Someone invites you to a playlist" },
    ],
  },
];
const CHANNELS: { channel: Channel; label: string }[] = [
  { channel: "in_app", label: "In-app" },
  { channel: "email", label: "Email" },
  { channel: "push", label: "Push" },
];

export function NotificationSettings() {
  const [prefs, setPrefs] = useState<Preferences | null>(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.GET("/api/v1/me/notification-preferences").then(({ data }) => data && setPrefs(data));
  }, []);

  async function toggle(kind: Kind, channel: Channel, on: boolean) {
    if (!prefs) return;
    const before = prefs;
    setPrefs({ ...prefs, [kind]: { ...prefs[kind], [channel]: on } });
    setError(null);
    setStatus("Saving…");
    const { data, error: failure } = await api.PUT("/api/v1/me/notification-preferences", {
      body: { [kind]: { [channel]: on } },
    });
    if (data) {
      setPrefs(data);
      setStatus("Saved");
    } else {
      setPrefs(before);
      setStatus("");
      setError(problemText(failure, "Your change was not saved."));
    }
  }

  return (
    <main class="page narrow">
      <p class="eyebrow">Settings</p>
      <h1>Notification Preferences</h1>
      <p class="muted">Choose what reaches you in the bell, by email and as push notifications.</p>
      <p class="save-status" role="status" aria-live="polite">{status}</p>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
      {!prefs ? <p class="muted">Loading…</p> : null}
      {prefs
        ? GROUPS.map((group) => (
            <section class="card prefs" key={group.title} aria-labelledby={`prefs-${group.title}`}>
              <h2 id={`prefs-${group.title}`}>{group.title}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col"><span class="visually-hidden">Notification</span></th>
                    {CHANNELS.map((c) => <th scope="col" key={c.channel}>{c.label}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {group.kinds.map(({ kind, label, hint }) => (
                    <tr key={kind}>
                      <th scope="row">
                        {label}
                        <span class="muted small block">{hint}</span>
                      </th>
                      {CHANNELS.map((c) => (
                        <td key={c.channel}>
                          <input
                            type="checkbox"
                            class="switch"
                            aria-label={`${label}: ${c.label}`}
                            checked={prefs[kind][c.channel] ?? true}
                            onChange={(event) => void toggle(kind, c.channel, event.currentTarget.checked)}
                          />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))
        : null}
    </main>
  );
}
