// A producer page: the heart ("Follow" outline / "Following" filled, aria-pressed), the
// follower count, the Followers tab, and Message only when the page is claimed by a user.
import { useEffect, useState } from "preact/hooks";
import { useRoute } from "preact-iso/router";
import { api, problemText, type Producer as ProducerData, type UserListItem } from "../api/client";
import { UserRow } from "../components/follow";
import { EndlessList, usePages } from "../components/lists";
import { Avatar, Icon } from "../components/ui";
import { messageUser } from "./Profile";

function Heart(props: { producer: ProducerData; onChange: (p: ProducerData) => void }) {
  const p = props.producer;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const liked = !!p.liked;
  async function toggle() {
    setBusy(true);
    setError(null);
    const params = { params: { path: { producer_id: p.id } } };
    const { data, error: failure } = await (liked
      ? api.DELETE("/api/v1/producers/{producer_id}/like", params)
      : api.PUT("/api/v1/producers/{producer_id}/like", params)
    ).catch(() => ({ data: undefined, error: undefined }));
    setBusy(false);
    if (data) props.onChange({ ...p, liked: data.liked, follow_label: data.follow_label, followers_count: data.followers_count });
    else setError(problemText(failure, "That did not work. Try again."));
  }
  return (
    <>
      <button type="button" class={`button heart ${liked ? "on" : ""}`} aria-pressed={liked} aria-busy={busy} disabled={busy} onClick={() => void toggle()}>
        <Icon name="heart" filled={liked} />
        {p.follow_label ?? (liked ? "Following" : "Follow")}
      </button>
      {error ? <p class="field-error" role="alert">{error}</p> : null}
    </>
  );
}

export function Producer() {
  const { params } = useRoute();
  const id = params.id ?? "";
  const [producer, setProducer] = useState<ProducerData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [messageError, setMessageError] = useState<string | null>(null);
  const followers = usePages<UserListItem>(`${id}:${producer?.followers_count ?? ""}`, async (cursor) => {
    const { data } = await api.GET("/api/v1/producers/{producer_id}/followers", {
      params: { path: { producer_id: id }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
    });
    return data ?? null;
  });

  useEffect(() => {
    setProducer(null);
    void api.GET("/api/v1/producers/{producer_id}", { params: { path: { producer_id: id } } }).then(({ data, error: failure }) => {
      if (data) setProducer(data);
      else setError(problemText(failure, "This producer page could not be loaded."));
    });
  }, [id]);

  if (error) return <main class="page"><p class="field-error" role="alert">{error}</p></main>;
  if (!producer) return <main class="page"><p class="muted">Loading…</p></main>;
  return (
    <main class="page">
      <section class="profile-head producer-head">
        <Avatar id={producer.id} name={producer.name} size="l" />
        <div class="profile-names">
          <p class="eyebrow">Producer</p>
          <h1>{producer.name}</h1>
          <p class="counts"><span><strong>{producer.followers_count ?? 0}</strong> followers</span></p>
        </div>
        <div class="profile-actions">
          <Heart producer={producer} onChange={setProducer} />
          {producer.message_user_id ? (
            <button type="button" class="button secondary" onClick={() => void messageUser(producer.message_user_id!).then(setMessageError)}>
              Message
            </button>
          ) : null}
          {messageError ? <p class="field-error" role="alert">{messageError}</p> : null}
        </div>
      </section>
      <div class="tabs" role="tablist" aria-label="Producer lists">
        <span role="tab" aria-selected="true" class="tab active">Followers</span>
      </div>
      <section role="tabpanel" aria-label="Followers">
        <EndlessList {...followers} count={followers.items.length} label="Followers" empty="No followers yet. Be the first.">
          {followers.items.map((user) => <UserRow key={user.id} user={user} />)}
        </EndlessList>
      </section>
    </main>
  );
}
