"""bench-throughput's outputs besides the JSON: ratios, a side-by-side table, and the plot."""

from pathlib import Path
from typing import Any

PLOT = Path(__file__).resolve().parents[1] / "docs" / "img" / "bench-throughput.png"

# (label, section, field): the compared figures, latency first, then throughput.
COMPARED = [
    ("send p50 ms", "send_ms", "p50"),
    ("send p99 ms", "send_ms", "p99"),
    ("send → recipient p50 ms", "send_to_recipient_ms", "p50"),
    ("send → recipient p99 ms", "send_to_recipient_ms", "p99"),
    ("send → recipient at 50/s p99 ms", "send_to_recipient_at_50_per_s_ms", "p99"),
    ("typing → other p50 ms", "typing_to_other_ms", "p50"),
    ("typing → other p99 ms", "typing_to_other_ms", "p99"),
    ("8 senders, one group: msgs/s", "group_8_senders", "msgs_per_s"),
    ("8 senders, one group: send p99 ms", "group_8_senders", "send_p99_ms"),
    ("40 senders, 20 DMs: msgs/s", "dms_40_senders", "msgs_per_s"),
]


def _key(section: str, field: str) -> str:
    return f"{section}.{field}"


def ratios(ours: dict[str, Any], peer: dict[str, Any] | None) -> dict[str, float | None]:
    """beatgraph ÷ peer for each compared figure (below 1 is better for latencies, above 1
    for msgs/s)."""
    if peer is None:
        return {}
    out = {}
    for _, section, field in COMPARED:
        mine, theirs = ours[section][field], peer[section][field]
        out[_key(section, field)] = round(mine / theirs, 2) if mine and theirs else None
    return out


def table(ours: dict[str, Any], peer: dict[str, Any] | None, peer_name: str) -> str:
    """Markdown: each compared figure for the peer, beatgraph, the ratio; then the floors."""
    lines = [f"| measure | {peer_name} | beatgraph | ratio |", "|---|---|---|---|"]
    for label, section, field in COMPARED:
        theirs = peer[section][field] if peer else None
        ratio = ratios(ours, peer).get(_key(section, field)) if peer else None
        lines.append(f"| {label} | {theirs} | {ours[section][field]} | {ratio} |")
    raw = ours["raw_floor"]
    lines.append(
        f"\nraw driver floor: send p50/p99 {raw['send_ms']['p50']} / "
        f"{raw['send_ms']['p99']} ms; 8 threads into the group "
        f"{raw['group_8_threads']['msgs_per_s']} msgs/s; 40 threads into 20 DMs "
        f"{raw['dms_40_threads']['msgs_per_s']} msgs/s"
    )
    lines.append(
        "\n| read | API p50 ms | raw p50 ms | API ÷ raw | lowest possible (/healthz + raw) |"
        "\n|---|---|---|---|---|"
    )
    for key, read in ours["reads"].items():
        lines.append(
            f"| {key} | {read['api_p50_ms']} | {read['raw_p50_ms']} | "
            f"{read['api_over_raw_p50']} | {read['lowest_possible_over_raw_p50']} |"
        )
    return "\n".join(lines)


def plot(ours: dict[str, Any], peer: dict[str, Any] | None, peer_name: str, title: str) -> Path:
    """Latencies (left) and msgs/s (right), beatgraph beside the peer, written to PLOT."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    latency = [row for row in COMPARED if row[2] in ("p50", "p99")]
    rate = [row for row in COMPARED if row[2] == "msgs_per_s"]
    figure, (left, right) = plt.subplots(
        1, 2, figsize=(13, 5.5), gridspec_kw={"width_ratios": [3, 1.3]}
    )
    width = 0.38
    for axis, rows in ((left, latency), (right, rate)):
        positions = range(len(rows))
        mine = [ours[section][field] or 0 for _, section, field in rows]
        axis.bar([p - width / 2 for p in positions], mine, width, label="beatgraph")
        if peer:
            theirs = [peer[section][field] or 0 for _, section, field in rows]
            axis.bar([p + width / 2 for p in positions], theirs, width, label=peer_name)
        axis.set_xticks(list(positions))
        axis.set_xticklabels(
            [label.removesuffix(" ms").removesuffix(": msgs/s") for label, _, _ in rows],
            rotation=30,
            ha="right",
            fontsize=8,
        )
        axis.legend()
    raw = ours["raw_floor"]
    right.scatter(
        [0, 1],
        [raw["group_8_threads"]["msgs_per_s"], raw["dms_40_threads"]["msgs_per_s"]],
        marker="_",
        s=900,
        color="black",
        label="raw driver floor",
    )
    right.legend()
    left.set_yscale("log")  # typing is ~1 ms, a queued send ~1 s: both must stay readable
    left.set_ylabel("ms, log scale (lower is better)")
    right.set_ylabel("acknowledged msgs/s (higher is better)")
    figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    PLOT.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(PLOT, dpi=110)
    plt.close(figure)
    return PLOT
