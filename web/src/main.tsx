// The BeatPass web client: sign in from the `bp_session` cookie, load the header's counts
// and the recent conversations, open the socket, and route by URL.
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { LocationProvider, Route, Router } from "preact-iso/router";
import { api } from "./api/client";
import { Header } from "./components/Header";
import { Artists } from "./pages/Artists";
import { Home } from "./pages/Home";
import { Login } from "./pages/Login";
import { NotificationSettings } from "./pages/NotificationSettings";
import { Producer } from "./pages/Producer";
import { Profile } from "./pages/Profile";
import { bearerToken, signedOut } from "./session";
import { badge, bellUnread, flash, me, panelOpen } from "./state/app";
import { loadConversations } from "./state/conversations";
import { startLive } from "./state/live";
import { openConversation } from "./state/thread";
import "./styles.css";

/** `?messages=open[&conversation=ID]` (where the /messages deep link lands) opens the panel. */
function openFromDeepLink(): void {
  const url = new URL(location.href);
  if (url.searchParams.get("messages") !== "open") return;
  const conversation = url.searchParams.get("conversation");
  url.searchParams.delete("messages");
  url.searchParams.delete("conversation");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  if (conversation) void openConversation(conversation);
  else panelOpen.value = true;
}

async function boot(): Promise<void> {
  if (!(await bearerToken())) return signedOut();
  const { data } = await api.GET("/api/v1/me");
  if (!data) return signedOut();
  me.value = data;
  badge.value = { conversations: data.unread.conversations, messages: data.unread.messages };
  bellUnread.value = data.unread.notifications;
  startLive();
  openFromDeepLink();
  await loadConversations();
}

function NotFound() {
  return (
    <main class="page">
      <h1>Not found</h1>
      <p>
        There is nothing here. <a href="/">Go home</a>
      </p>
    </main>
  );
}

function SignedInApp() {
  useEffect(() => void boot(), []);
  if (!me.value) return <p class="boot muted">Loading BeatPass…</p>;
  return (
    <>
      <Header />
      <Router>
        <Route path="/" component={Home} />
        <Route path="/users/:id" component={Profile} />
        <Route path="/producers/:id" component={Producer} />
        <Route path="/library/artists" component={Artists} />
        <Route path="/settings/notifications" component={NotificationSettings} />
        <Route default component={NotFound} />
      </Router>
      <p class="flash" role="status" aria-live="polite">{flash.value}</p>
    </>
  );
}

function App() {
  return <LocationProvider>{location.pathname === "/login" ? <Login /> : <SignedInApp />}</LocationProvider>;
}

render(<App />, document.getElementById("app")!);
