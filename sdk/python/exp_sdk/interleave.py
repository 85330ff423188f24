"""``interleave``: two rankings merged into one list for an interleaving experiment, each item
credited to the ranker (its team) that placed it, exactly as the TypeScript runtime does
(docs/hashing.md#interleaving, docs/runtime.md#interleaving)."""

from __future__ import annotations

from typing import Any, Sequence

from .hashing import BASIS_POINTS, bucket


def interleaving_seed(experiment: str, phase: int, request_id: str, round_: int) -> str:
    return f"interleave:{experiment}:{phase}:{request_id}:{round_}"


def interleave_rankings(
    experiment: str,
    phase: int,
    method: str,
    rankers: Sequence[str],
    hash_key: str,
    request_id: str,
    ranking_a: Sequence[str],
    ranking_b: Sequence[str],
    length: int | None = None,
) -> tuple[list[str], list[str]]:
    """The merged items and the team of each; ranker A wins a flip when the bucket is below 5000."""

    def flip(round_: int) -> bool:
        return bucket(interleaving_seed(experiment, phase, request_id, round_), hash_key) < BASIS_POINTS // 2

    distinct = len(set(ranking_a) | set(ranking_b))
    n = distinct if length is None else min(length, distinct)
    items: list[str] = []
    teams: list[str] = []
    taken: set[str] = set()
    rankings = (ranking_a, ranking_b)
    if method == "balanced":
        a_leads = flip(0)
        ka = kb = 0
        while len(items) < n:
            from_a = kb >= len(ranking_b) or (ka < len(ranking_a) and (ka < kb or (ka == kb and a_leads)))
            if from_a:
                item, ka = ranking_a[ka], ka + 1
            else:
                item, kb = ranking_b[kb], kb + 1
            if item not in taken:
                taken.add(item)
                items.append(item)
                teams.append(rankers[0] if from_a else rankers[1])
        return items, teams
    nxt = [0, 0]
    picks = [0, 0]
    round_ = 0
    while len(items) < n:
        if picks[0] == picks[1]:
            first_a = flip(round_)
            round_ += 1
        else:
            first_a = picks[0] < picks[1]
        for t in ((0, 1) if first_a else (1, 0)):
            r = rankings[t]
            while nxt[t] < len(r) and r[nxt[t]] in taken:
                nxt[t] += 1
            if nxt[t] >= len(r):
                continue
            taken.add(r[nxt[t]])
            items.append(r[nxt[t]])
            teams.append(rankers[t])
            picks[t] += 1
            break
    return items, teams


def interleave(
    evaluator: Any,
    experiment: str,
    unit: Any,
    ranking_a: Sequence[str],
    ranking_b: Sequence[str],
    request_id: str = "",
    attributes: Any = None,
    length: int | None = None,
    at: Any = None,
) -> dict[str, Any]:
    """Enrols the unit as ``assign`` does; an enrolled unit gets the merged list, any other ranker A's list."""
    e = evaluator.ruleset["experiments"].get(experiment)
    if e is not None and e.get("interleaving") is None:
        raise TypeError(f'Experiment "{experiment}" is not an interleaving experiment; call assign() for it instead.')
    a = evaluator.assign(experiment, unit, attributes, at)
    out = {"experiment": experiment, "reasons": a.reasons, "hash_key": a.hash_key, "request_id": request_id}
    if not a.in_experiment or e is None:
        return {**out, "in_experiment": False, "items": list(ranking_a[: len(ranking_a) if length is None else length]), "teams": []}
    il = e["interleaving"]
    items, teams = interleave_rankings(
        experiment, e["phase"], il["method"], il["rankers"], a.hash_key, request_id, ranking_a, ranking_b, length
    )
    return {**out, "in_experiment": True, "items": items, "teams": teams}
