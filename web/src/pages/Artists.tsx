// Library → Your artists: the producers you follow by liking them, with "N liked artists".
import { api, type Producer } from "../api/client";
import { EndlessList, usePages } from "../components/lists";
import { Avatar } from "../components/ui";
import { useState } from "preact/hooks";

export function ProducerCard(props: { producer: Producer }) {
  const p = props.producer;
  return (
    <li class="producer-card">
      <a href={`/producers/${p.id}`}>
        <Avatar id={p.id} name={p.name} size="l" />
        <span class="name">{p.name}</span>
        {p.followers_count != null ? <span class="muted small">{p.followers_count} followers</span> : null}
      </a>
    </li>
  );
}

export function Artists() {
  const [label, setLabel] = useState<string | null>(null);
  const pages = usePages<Producer>("artists", async (cursor) => {
    const { data } = await api.GET("/api/v1/me/artists", { params: { query: { limit: 24, ...(cursor ? { cursor } : {}) } } });
    if (data) setLabel(data.label);
    return data ?? null;
  });
  return (
    <main class="page">
      <p class="eyebrow">Library</p>
      <h1>Your artists</h1>
      <p class="muted" aria-live="polite">{label ?? "\u00a0"}</p>
      <EndlessList {...pages} count={pages.items.length} label="Your artists" class="producer-grid"
        empty="Like a producer's page to follow them; they show up here.">
        {pages.items.map((p) => <ProducerCard key={p.id} producer={p} />)}
      </EndlessList>
    </main>
  );
}
