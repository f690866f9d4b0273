// Follow / Unfollow for a user: the label changes only once the server has saved it; the
// button says it is busy meanwhile and reverts, with a message, if the call fails.
import { useState } from "preact/hooks";
import { api, problemText, type UserListItem } from "../api/client";
import { Avatar, displayName } from "./ui";
import { myId } from "../state/app";

export async function setFollowing(userId: string, follow: boolean) {
  const params = { params: { path: { user_id: userId } } };
  return follow ? api.PUT("/api/v1/users/{user_id}/follow", params) : api.DELETE("/api/v1/users/{user_id}/follow", params);
}

export function FollowButton(props: {
  userId: string;
  following: boolean;
  /** The accessible name's subject in lists ("Follow Theo Keys"); bare on a profile. */
  name?: string;
  onChange?: (following: boolean, followers: number) => void;
}) {
  const [following, setState] = useState(props.following);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = following ? "Unfollow" : "Follow";

  async function toggle() {
    setBusy(true);
    setError(null);
    const { data, error: failure } = await setFollowing(props.userId, !following).catch(() => ({
      data: undefined,
      error: undefined,
    }));
    setBusy(false);
    if (data) {
      setState(data.following);
      props.onChange?.(data.following, data.followers_count);
    } else {
      setError(problemText(failure, following ? "Could not unfollow. Try again." : "Could not follow. Try again."));
    }
  }

  return (
    <span class="follow">
      <button
        type="button"
        class={following ? "button secondary" : "button primary"}
        aria-label={props.name ? `${label} ${props.name}` : undefined}
        aria-busy={busy}
        disabled={busy}
        onClick={toggle}
      >
        {busy ? <span class="spinner" aria-hidden="true" /> : null}
        {label}
      </button>
      {error ? (
        <span class="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

export function UserRow(props: { user: UserListItem }) {
  const user = props.user;
  return (
    <li class="user-row">
      <a class="user-link" href={`/users/${user.id}`}>
        <Avatar id={user.id} name={displayName(user)} url={user.avatar_url} />
        <span class="user-names">
          <span class="name">{displayName(user)}</span>
          <span class="muted">@{user.username}</span>
        </span>
      </a>
      {user.relationship.followed_by ? <span class="tag">Follows you</span> : null}
      {user.id !== myId() ? (
        <FollowButton userId={user.id} following={user.relationship.following} name={displayName(user)} />
      ) : null}
    </li>
  );
}
