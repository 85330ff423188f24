import { BASIS_POINTS, bucket } from "../ruleset/hash.js";
import type { RulesetInterleaving } from "../ruleset/types.js";
import type { Attributes } from "./condition.js";
import type { Evaluator } from "./evaluator.js";
import type { AssignmentReason } from "./result.js";
import type { UnitRef } from "./unit-ids.js";

/**
 * Interleaving (docs/runtime.md#interleaving, docs/hashing.md#interleaving): two rankings merged
 * into one list whose every item is credited to the ranker (its team) that placed it, so that a
 * click on it is a vote for that ranker. The coin flips are buckets of the unit's hash key under a
 * seed naming the experiment, its phase, the request and the round: the same unit and request get
 * the same list on every SDK, and two requests of one unit get independent flips.
 */
export interface InterleavedList {
  /** The merged list, best first. */
  items: string[];
  /** `teams[i]` is the ranker that placed `items[i]`. */
  teams: string[];
}

/** The seed of one coin flip; `round` is 0 for balanced interleaving's single flip. */
export function interleavingSeed(experiment: string, phase: number, requestId: string, round: number): string {
  return `interleave:${experiment}:${phase}:${requestId}:${round}`;
}

/** Ranker A wins the flip when the bucket is in the lower half. */
function flipFor(experiment: string, phase: number, requestId: string, hashKey: string): (round: number) => boolean {
  return (round) => bucket(interleavingSeed(experiment, phase, requestId, round), hashKey) < BASIS_POINTS / 2;
}

export interface InterleaveInput {
  experiment: string;
  phase: number;
  interleaving: RulesetInterleaving;
  /** The id hashed: the session in a session experiment, else the user. */
  hashKey: string;
  requestId: string;
  rankingA: readonly string[];
  rankingB: readonly string[];
  /** Longest merged list; by default every distinct item of both rankings. */
  length?: number;
}

export function interleaveRankings(x: InterleaveInput): InterleavedList {
  const flip = flipFor(x.experiment, x.phase, x.requestId, x.hashKey);
  const [a, b] = x.interleaving.rankers;
  const distinct = new Set([...x.rankingA, ...x.rankingB]).size;
  const length = Math.min(x.length ?? distinct, distinct);
  return x.interleaving.method === "balanced"
    ? balanced(x.rankingA, x.rankingB, a, b, length, flip(0))
    : teamDraft(x.rankingA, x.rankingB, a, b, length, flip);
}

/**
 * Team draft (Radlinski, Kurup and Joachims 2008): the team with fewer picks picks next, a coin
 * decides when they are level, and a team picks its best item not yet in the list.
 */
function teamDraft(
  rankingA: readonly string[],
  rankingB: readonly string[],
  a: string,
  b: string,
  length: number,
  flip: (round: number) => boolean,
): InterleavedList {
  const out: InterleavedList = { items: [], teams: [] };
  const taken = new Set<string>();
  const next = [0, 0];
  const picks = [0, 0];
  const rankings = [rankingA, rankingB];
  const names = [a, b];
  let round = 0;
  while (out.items.length < length) {
    const firstA = picks[0]! < picks[1]! || (picks[0] === picks[1] && flip(round++));
    const order = firstA ? [0, 1] : [1, 0];
    // The team whose turn it is picks; when its ranking is used up the other one does.
    for (const t of order) {
      const r = rankings[t]!;
      while (next[t]! < r.length && taken.has(r[next[t]!]!)) next[t]!++;
      if (next[t]! >= r.length) continue;
      const item = r[next[t]!]!;
      taken.add(item);
      out.items.push(item);
      out.teams.push(names[t]!);
      picks[t]!++;
      break;
    }
  }
  return out;
}

/**
 * Balanced interleaving (Joachims 2003): both rankings are walked in step, the coin decides which
 * one leads, and each position takes the next item of the ranking that is behind. An item's team
 * is the ranking that contributed it.
 */
function balanced(
  rankingA: readonly string[],
  rankingB: readonly string[],
  a: string,
  b: string,
  length: number,
  aLeads: boolean,
): InterleavedList {
  const out: InterleavedList = { items: [], teams: [] };
  const taken = new Set<string>();
  let ka = 0;
  let kb = 0;
  while (out.items.length < length) {
    const fromA = kb >= rankingB.length || (ka < rankingA.length && (ka < kb || (ka === kb && aLeads)));
    const item = fromA ? rankingA[ka++]! : rankingB[kb++]!;
    if (taken.has(item)) continue;
    taken.add(item);
    out.items.push(item);
    out.teams.push(fromA ? a : b);
  }
  return out;
}

export interface InterleaveOptions {
  /** Names the request (a page view, a query): the same unit and request always get the same list. Default "". */
  requestId?: string;
  attributes?: Attributes;
  /** Longest merged list; by default every distinct item of both rankings. */
  length?: number;
  at?: number;
}

export interface InterleaveResult extends InterleavedList {
  experiment: string;
  /** False when the unit is not enrolled: `items` is then ranker A's list as given and `teams` is empty. */
  inExperiment: boolean;
  reasons: readonly AssignmentReason[];
  hashKey: string;
  requestId: string;
  phase: number;
  method: RulesetInterleaving["method"] | null;
}

/**
 * Enrols the unit as any experiment does (schedule, holdouts, targeting, traffic or layer) and,
 * when it is in, merges the rankings. Asking it of an A/B experiment is a programming mistake and
 * throws; an unknown key is not enrolled (`experiment_not_found`), as with `assign`.
 */
export function interleave(
  evaluator: Evaluator,
  experiment: string,
  unit: UnitRef,
  rankingA: readonly string[],
  rankingB: readonly string[],
  options: InterleaveOptions = {},
): InterleaveResult {
  const e = evaluator.ruleset.experiments[experiment];
  if (e !== undefined && e.interleaving === undefined)
    throw new TypeError(`Experiment "${experiment}" is not an interleaving experiment; call assign() for it instead.`);
  const a = evaluator.assign(experiment, unit, options.attributes, options.at);
  const requestId = options.requestId ?? "";
  const base = {
    experiment,
    reasons: a.reasons,
    hashKey: a.hashKey,
    requestId,
    phase: e?.phase ?? 0,
    method: e?.interleaving?.method ?? null,
  };
  if (!a.inExperiment || e?.interleaving === undefined) {
    const items = rankingA.slice(0, options.length ?? rankingA.length);
    return { ...base, inExperiment: false, items, teams: [] };
  }
  const merged = interleaveRankings({
    experiment,
    phase: e.phase,
    interleaving: e.interleaving,
    hashKey: a.hashKey,
    requestId,
    rankingA,
    rankingB,
    length: options.length,
  });
  return { ...base, inExperiment: true, ...merged };
}
