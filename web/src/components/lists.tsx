// Endless, keyset-paged lists: the next page loads when the end scrolls into view.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { Sentinel } from "./ui";

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Pages of a list by cursor; `fetchPage` returns null on failure. Restarts when `key` changes. */
export function usePages<T>(key: string, fetchPage: (cursor: string | null) => Promise<Page<T> | null>) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<"loading" | "ready" | "error">("loading");
  useEffect(() => {
    let live = true;
    setItems([]);
    setCursor(null);
    setState("loading");
    void fetchPage(null).then((page) => {
      if (!live) return;
      if (!page) return setState("error");
      setItems(page.items);
      setCursor(page.next_cursor);
      setState("ready");
    });
    return () => {
      live = false;
    };
  }, [key]);
  async function more() {
    if (!cursor || state !== "ready") return;
    setState("loading");
    const page = await fetchPage(cursor);
    if (!page) return setState("error");
    setItems((now) => [...now, ...page.items]);
    setCursor(page.next_cursor);
    setState("ready");
  }
  return { items, setItems, hasMore: cursor !== null, state, more };
}

export function EndlessList(props: {
  state: "loading" | "ready" | "error";
  hasMore: boolean;
  count: number;
  more: () => void;
  empty: string;
  label: string;
  class?: string;
  children: ComponentChildren;
}) {
  return (
    <>
      <ul class={props.class ?? "user-list"} aria-label={props.label}>
        {props.children}
      </ul>
      {props.state === "ready" && props.count === 0 ? <p class="empty">{props.empty}</p> : null}
      {props.state === "error" ? <p class="field-error" role="alert">This list could not be loaded.</p> : null}
      <Sentinel active={props.hasMore || (props.state === "loading" && props.count === 0)} generation={props.count} onVisible={props.more}>
        <p class="muted pad">Loading…</p>
      </Sentinel>
    </>
  );
}
