// Home: who to follow and producers your follows like, with links to your own pages.
import { useEffect, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { UserRow } from "../components/follow";
import { me } from "../state/app";
import { ProducerCard } from "./Artists";

export function Home() {
  const [people, setPeople] = useState<Schemas["UserRecommendation"][] | null>(null);
  const [producers, setProducers] = useState<Schemas["ProducerRecommendation"][] | null>(null);
  useEffect(() => {
    void api.GET("/api/v1/me/recommendations/users", { params: { query: { limit: 6 } } }).then(({ data }) => setPeople(data?.items ?? []));
    void api.GET("/api/v1/me/recommendations/producers", { params: { query: { limit: 6 } } }).then(({ data }) => setProducers(data?.items ?? []));
  }, []);
  const user = me.value;
  return (
    <main class="page">
      <section class="hero">
        <h1>{user ? `Welcome back, ${user.display_name.split(" ")[0]}` : "Welcome"}</h1>
        <p class="muted">
          {user ? (
            <>
              <a href={`/users/${user.id}`}>{user.followers_count} followers</a> ·{" "}
              <a href={`/users/${user.id}?tab=following`}>{user.following_count} following</a> ·{" "}
              <a href="/library/artists">{user.liked_producers_count} liked artists</a>
            </>
          ) : null}
        </p>
      </section>
      <div class="columns">
        <section class="card">
          <h2>Who to follow</h2>
          {people && people.length === 0 ? <p class="empty">No suggestions right now.</p> : null}
          <ul class="user-list" aria-label="Who to follow">
            {(people ?? []).map((p) => <UserRow key={p.id} user={p} />)}
          </ul>
        </section>
        <section class="card">
          <h2>Producers your follows like</h2>
          {producers && producers.length === 0 ? <p class="empty">Follow people to see what they like.</p> : null}
          <ul class="producer-grid" aria-label="Recommended producers">
            {(producers ?? []).map((p) => <ProducerCard key={p.id} producer={p} />)}
          </ul>
        </section>
      </div>
    </main>
  );
}
