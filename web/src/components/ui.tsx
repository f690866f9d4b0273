// Small shared pieces: avatars with initials, relative times, icons, endless-list sentinel.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

const HUES = [262, 200, 330, 20, 150, 45, 290, 180];

function hue(id: string): number {
  let sum = 0;
  for (const char of id) sum = (sum * 31 + char.charCodeAt(0)) >>> 0;
  return HUES[sum % HUES.length] ?? 262;
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "")).toUpperCase();
}

export function Avatar(props: { id: string; name: string; url?: string | null; size?: "s" | "m" | "l" }) {
  const size = props.size ?? "m";
  if (props.url) return <img class={`avatar avatar-${size}`} src={props.url} alt="" />;
  return (
    <span class={`avatar avatar-${size}`} style={{ "--hue": hue(props.id) }} aria-hidden="true">
      {initials(props.name)}
    </span>
  );
}

/** "now", "5m", "3h", "2d", then a date; the full time in the tooltip. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (seconds < 45) return "now";
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h`;
  if (seconds < 7 * 86400) return `${Math.round(seconds / 86400)}d`;
  return new Date(iso).toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

export function RelTime(props: { iso: string; class?: string }) {
  return (
    <time class={props.class ?? "time"} dateTime={props.iso} title={new Date(props.iso).toLocaleString()}>
      {relativeTime(props.iso)}
    </time>
  );
}

const PATHS = {
  message:
    "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.4c-.5.4-1.3 0-1.3-.6V16A2.5 2.5 0 0 1 4 13.5z",
  bell: "M12 3a6 6 0 0 0-6 6v3.6L4.3 15.5A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6zm-2.5 16a2.5 2.5 0 0 0 5 0",
  heart:
    "M12 20.5s-7.5-4.6-9.3-9.4C1.5 7.9 3.6 4.5 7 4.5c2 0 3.5 1.1 5 3 1.5-1.9 3-3 5-3 3.4 0 5.5 3.4 4.3 6.6-1.8 4.8-9.3 9.4-9.3 9.4z",
  back: "M15 5l-7 7 7 7",
  more: "M5 12h.01M12 12h.01M19 12h.01",
  plus: "M12 5v14M5 12h14",
  close: "M6 6l12 12M18 6L6 18",
  check: "M5 12.5l4.5 4.5L19 7",
};

export function Icon(props: { name: keyof typeof PATHS; filled?: boolean; class?: string }) {
  const stroke = props.name === "more" ? 3.2 : 2;
  return (
    <svg
      class={`icon ${props.class ?? ""}`}
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill={props.filled ? "currentColor" : "none"}
      stroke="currentColor"
      stroke-width={stroke}
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={PATHS[props.name]} />
    </svg>
  );
}

/** Calls `onVisible` whenever the end of a list scrolls into view (endless scrolling). */
export function Sentinel(props: {
  onVisible: () => void;
  active: boolean;
  /** Changes after each page, so a sentinel still in view asks for the next one. */
  generation: number;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const callback = useRef(props.onVisible);
  callback.current = props.onVisible;
  useEffect(() => {
    const element = ref.current;
    if (!element || !props.active) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) callback.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [props.active, props.generation]);
  return (
    <div ref={ref} class="sentinel">
      {props.active ? props.children : null}
    </div>
  );
}

export function displayName(user: { display_name: string; username: string }): string {
  return user.display_name || user.username;
}
