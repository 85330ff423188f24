import type { InterleavingJson } from "../stats/interleaving.js";
import { fmtInt, fmtP, fmtPercent, MISSING } from "./format.js";
import type { ReportAnalysis } from "./model.js";

/** The verdict in one line: the preferred ranker, or why none is. */
export function interleavingVerdict(j: InterleavingJson): string {
  const [a, b] = j.rankers;
  const preferring = j.wins_a + j.wins_b;
  if (preferring === 0) return `no unit preferred either ranker (${fmtInt(j.ties)} tie(s), ${fmtInt(j.no_clicks)} without credited clicks)`;
  const share = (x: InterleavingJson["share_a"]) => (x === null ? MISSING : fmtPercent(x, 1));
  // Told from the side of the ranker that leads (ranker A on a tie), with its interval.
  const leadsB = j.wins_b > j.wins_a;
  const side = (x: InterleavingJson["share_a"]) => (x === null ? null : leadsB ? 1 - x : x);
  const [lo, hi] = leadsB ? [j.share_a_ci[1], j.share_a_ci[0]] : j.share_a_ci;
  const lead = j.winner === null ? "no significant preference" : `${j.winner} preferred`;
  return `${lead}: ${share(side(j.share_a))} of the units with a preference prefer ${leadsB ? b : a} (CI ${share(side(lo))} to ${share(side(hi))}), p ${fmtP(j.p_value)}`;
}

/** Who was compared: every enrolled unit saw both rankers, so there are no arms and no sample ratio. */
export function interleavingUnits(j: InterleavingJson): string {
  const units = j.wins_a + j.wins_b + j.ties + j.no_clicks;
  return `${fmtInt(units)} enrolled units each saw lists merging "${j.rankers[0]}" and "${j.rankers[1]}" (${j.method}); with no arms to split them, there is no sample ratio to check`;
}

/** Counts and test as label/value pairs, the same for text and markdown. */
export function interleavingFacts(j: InterleavingJson): [string, string][] {
  const [a, b] = j.rankers;
  return [
    [`units preferring ${a}`, fmtInt(j.wins_a)],
    [`units preferring ${b}`, fmtInt(j.wins_b)],
    ["ties (equal credited clicks)", fmtInt(j.ties)],
    ["units without credited clicks", fmtInt(j.no_clicks)],
    [`clicks credited to ${a} / ${b}`, `${fmtInt(j.clicks_a)} / ${fmtInt(j.clicks_b)}`],
    [
      `share preferring ${a}`,
      `${j.share_a === null ? MISSING : fmtPercent(j.share_a, 1)} (${Math.round((1 - j.alpha) * 100)}% CI ${j.share_a_ci.map((x) => (x === null ? MISSING : fmtPercent(x, 1))).join(" to ")})`,
    ],
    ["Δ (ties as half wins)", j.delta_with_ties === null ? MISSING : j.delta_with_ties.toFixed(4)],
    ["sign test p-value (ties left out)", fmtP(j.p_value)],
  ];
}

/** The markdown section of an interleaving experiment, or nothing for other designs. */
export function interleavingMarkdown(analysis: Pick<ReportAnalysis, "interleaving">): string {
  const j = analysis.interleaving;
  if (!j) return "";
  return [
    "### Interleaving",
    "",
    `Method \`${j.method}\`: each unit saw lists merging both rankers, and each click on an item (\`${j.click_event}\`, item in \`${j.item_property}\`) is credited to the ranker that placed it. A unit prefers the ranker credited with more of its clicks. **${interleavingVerdict(j)}.**`,
    "",
    "| | |",
    "|---|---:|",
    ...interleavingFacts(j).map(([k, v]) => `| ${k} | ${v} |`),
  ].join("\n");
}
