"""One way to reach Redis, a single server or a Redis Cluster, from `REDIS_URL`.

`redis://` and `rediss://` name one server. `redis+cluster://` (or `rediss+cluster://`)
names a cluster by one or more of its nodes, comma-separated — the same URL flask-limiter's
storage takes, so the rate limits and the relay share one setting:

    redis+cluster://:password@10.0.0.1:6379,10.0.0.2:6379

Every key the app uses together carries a hash tag (`{user id}`), so each script and
multi-key command stays in one slot.
"""

from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from redis import Redis
from redis.cluster import ClusterNode, RedisCluster
from redis.commands.core import Script
from redis.exceptions import NoScriptError

CLUSTER_SCHEMES = {"redis+cluster": False, "rediss+cluster": True}


def is_cluster_url(url: str) -> bool:
    return url.partition("://")[0] in CLUSTER_SCHEMES


def _cluster_nodes(url: str) -> tuple[list[ClusterNode], dict[str, Any]]:
    scheme, _, rest = url.partition("://")
    location = rest.split("/", 1)[0].split("?", 1)[0]
    credentials, _, hosts = location.rpartition("@")
    options: dict[str, Any] = {"ssl": CLUSTER_SCHEMES[scheme]}
    if credentials:
        username, _, password = credentials.partition(":")
        options["username"] = unquote(username) or None
        options["password"] = unquote(password) or None
    nodes = []
    for host_port in hosts.split(","):
        host, _, port = host_port.rpartition(":")
        node = ClusterNode(host or "127.0.0.1", int(port or 6379))  # type: ignore[no-untyped-call]
        nodes.append(node)
    return nodes, options


def connect_redis(url: str, **options: Any) -> Redis:
    """A client for `url` with these connection options (timeouts, health checks).

    A cluster client is returned as `Redis` for the type checker: the app uses only
    commands both clients have, keyed so that a cluster can route them."""
    if not is_cluster_url(url):
        return Redis.from_url(url, **options)
    nodes, credentials = _cluster_nodes(url)
    options.pop("health_check_interval", None)  # the cluster client checks its own nodes
    cluster = RedisCluster(startup_nodes=nodes, **credentials, **options)
    return cluster  # type: ignore[return-value]


def run_script_pipelined(
    redis: Redis, script: Script, calls: Sequence[tuple[Sequence[Any], Sequence[Any]]]
) -> None:
    """Run `script` once per (keys, args) in one pipeline on a single server; raise the
    first error. redis-py's own script pipelining asks SCRIPT EXISTS before every
    pipeline, a second round trip for each publish; this sends EVALSHA straight away and
    loads the script only when Redis answers NOSCRIPT (after a restart or SCRIPT FLUSH),
    then runs again only the calls that did not run."""
    results = _evalsha_each(redis, script.sha, calls)
    unloaded = [call for call, result in zip(calls, results, strict=True) if _unknown(result)]
    if unloaded:
        script.sha = redis.script_load(script.script)
        results = [r for r in results if not _unknown(r)] + _evalsha_each(
            redis, script.sha, unloaded
        )
    for result in results:
        if isinstance(result, Exception):
            raise result


def _evalsha_each(
    redis: Redis, sha: str, calls: Sequence[tuple[Sequence[Any], Sequence[Any]]]
) -> list[Any]:
    pipe = redis.pipeline(transaction=False)
    for keys, args in calls:
        pipe.evalsha(sha, len(keys), *keys, *args)
    return pipe.execute(raise_on_error=False)


def _unknown(result: Any) -> bool:
    return isinstance(result, NoScriptError)
