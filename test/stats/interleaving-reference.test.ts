// interleavingAnalysis against scipy.stats.binomtest (p-value and exact proportion_ci), from
// test/stats/interleaving-reference.py; the e2e test checks the warehouse counts on the same data.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { interleavingAnalysis } from "../../src/stats/interleaving.js";

const ref = JSON.parse(readFileSync(new URL("./interleaving-reference.json", import.meta.url), "utf8")) as {
  alpha: number;
  result: {
    wins_a: number;
    wins_b: number;
    ties: number;
    no_clicks: number;
    share_a: number;
    share_a_ci: [number, number];
    p_value: number;
    delta_with_ties: number;
  };
  binomtest: { wins_a: number; wins_b: number; alpha: number; p_value: number; share_ci: [number, number] }[];
};

const close = (a: number, b: number, rel: number, what: string) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b) || a === b, `${what}: ${a} vs ${b}`);

test("p-values and exact share intervals equal scipy's binomtest", () => {
  for (const c of ref.binomtest) {
    const r = interleavingAnalysis({ winsA: c.wins_a, winsB: c.wins_b, ties: 0, noClicks: 0 }, c.alpha);
    const what = `${c.wins_a}/${c.wins_b} at ${c.alpha}`;
    close(r.pValue, c.p_value, 1e-9, `${what} p`);
    close(r.shareLower, c.share_ci[0], 1e-9, `${what} lower`);
    close(r.shareUpper, c.share_ci[1], 1e-9, `${what} upper`);
  }
});

test("the reference data's preference: ties kept apart, the winner named at alpha", () => {
  const x = ref.result;
  const r = interleavingAnalysis({ winsA: x.wins_a, winsB: x.wins_b, ties: x.ties, noClicks: x.no_clicks }, ref.alpha);
  close(r.share, x.share_a, 1e-15, "share");
  close(r.deltaWithTies, x.delta_with_ties, 1e-15, "delta with ties");
  close(r.pValue, x.p_value, 1e-9, "p");
  assert.equal(r.units, x.wins_a + x.wins_b + x.ties);
  assert.equal(r.winner, "B");
  assert.equal(interleavingAnalysis({ winsA: 0, winsB: 0, ties: 4, noClicks: 1 }, 0.05).winner, null);
});
