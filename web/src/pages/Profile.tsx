// A user's profile: counts, "Follows you", Follow / Unfollow (never on your own), Message,
// and the Followers, Following and Liked Producers tabs (`?tab=`), each endless.
import { useEffect, useState } from "preact/hooks";
import { useRoute } from "preact-iso/router";
import { api, problemText, type Producer, type Profile as ProfileData, type UserListItem } from "../api/client";
import { FollowButton, UserRow } from "../components/follow";
import { EndlessList, usePages } from "../components/lists";
import { Avatar, displayName } from "../components/ui";
import { upsertConversation } from "../state/conversations";
import { openConversation } from "../state/thread";
import { ProducerCard } from "./Artists";

const TABS = [
  { id: "followers", label: "Followers" },
  { id: "following", label: "Following" },
  { id: "liked", label: "Liked Producers" },
] as const;
type Tab = (typeof TABS)[number]["id"];

export async function messageUser(userId: string): Promise<string | null> {
  const { data, error } = await api.POST("/api/v1/conversations", { body: { participant_ids: [userId] } });
  if (!data) return problemText(error, "The conversation could not be opened.");
  upsertConversation(data);
  void openConversation(data.id);
  return null;
}

function UserTab(props: { userId: string; which: "followers" | "following" }) {
  const path = props.which === "followers" ? "/api/v1/users/{user_id}/followers" : "/api/v1/users/{user_id}/following";
  const pages = usePages<UserListItem>(`${props.userId}:${props.which}`, async (cursor) => {
    const { data } = await api.GET(path, {
      params: { path: { user_id: props.userId }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
    });
    return data ?? null;
  });
  return (
    <EndlessList {...pages} count={pages.items.length} label={props.which === "followers" ? "Followers" : "Following"}
      empty={props.which === "followers" ? "No followers yet." : "Not following anyone yet."}>
      {pages.items.map((user) => <UserRow key={user.id} user={user} />)}
    </EndlessList>
  );
}

function LikedTab(props: { userId: string }) {
  const pages = usePages<Producer>(`${props.userId}:liked`, async (cursor) => {
    const { data } = await api.GET("/api/v1/users/{user_id}/liked-producers", {
      params: { path: { user_id: props.userId }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
    });
    return data ?? null;
  });
  return (
    <EndlessList {...pages} count={pages.items.length} label="Liked Producers" class="producer-grid" empty="No liked producers yet.">
      {pages.items.map((p) => <ProducerCard key={p.id} producer={p} />)}
    </EndlessList>
  );
}

export function Profile() {
  const { params, query } = useRoute();
  const userId = params.id ?? "";
  const tab: Tab = (TABS.find((t) => t.id === query.tab)?.id ?? "followers") as Tab;
  const [profile, setProfile] = useState<ProfileData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [messageError, setMessageError] = useState<string | null>(null);

  useEffect(() => {
    setProfile(null);
    setError(null);
    void api.GET("/api/v1/users/{user_id}", { params: { path: { user_id: userId } } }).then(({ data, error: failure }) => {
      if (data) setProfile(data);
      else setError(problemText(failure, "This profile could not be loaded."));
    });
  }, [userId]);

  if (error) return <main class="page"><p class="field-error" role="alert">{error}</p></main>;
  if (!profile) return <main class="page"><p class="muted">Loading…</p></main>;
  const rel = profile.relationship;
  const name = displayName(profile);
  return (
    <main class="page">
      <section class="profile-head">
        <Avatar id={profile.id} name={name} url={profile.avatar_url} size="l" />
        <div class="profile-names">
          <h1>{name}</h1>
          <p class="muted">
            @{profile.username}
            {rel.followed_by && !rel.is_self ? <span class="tag">Follows you</span> : null}
          </p>
          <p class="counts">
            <a href={`?tab=followers`}><strong>{profile.followers_count}</strong> followers</a>
            <a href={`?tab=following`}><strong>{profile.following_count}</strong> following</a>
            <a href={`?tab=liked`}><strong>{profile.liked_producers_count}</strong> liked producers</a>
          </p>
        </div>
        {rel.is_self ? null : (
          <div class="profile-actions">
            <FollowButton
              userId={profile.id}
              following={rel.following}
              onChange={(following, followers) =>
                setProfile({ ...profile, followers_count: followers, relationship: { ...rel, following } })
              }
            />
            <button type="button" class="button secondary" onClick={() => void messageUser(profile.id).then(setMessageError)}>
              Message
            </button>
            {messageError ? <p class="field-error" role="alert">{messageError}</p> : null}
          </div>
        )}
      </section>
      <div class="tabs" role="tablist" aria-label="Profile lists">
        {TABS.map((t) => (
          <a
            key={t.id}
            role="tab"
            href={`/users/${userId}?tab=${t.id}`}
            aria-selected={tab === t.id}
            class={tab === t.id ? "tab active" : "tab"}
          >
            {t.label}
          </a>
        ))}
      </div>
      <section role="tabpanel" aria-label={TABS.find((t) => t.id === tab)?.label}>
        {tab === "liked" ? <LikedTab userId={userId} /> : <UserTab key={tab} userId={userId} which={tab} />}
      </section>
    </main>
  );
}
