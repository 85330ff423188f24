import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { compareCupac, fitCupac } from "../../src/stats/cupac.js";
import type { CupacStats } from "../../src/stats/types.js";
import { readCsv } from "./csv.js";

// Values from test/stats/cupac-reference.py (statsmodels OLS of y on the variant and three
// covariates, classical covariance). The sums are recomputed here from the CSV rows, independently
// of the SQL compiler, with the windows of docs/analysis.md.
interface Ref {
  experiment: string;
  covariates: string[];
  units: Record<string, number>;
  df_resid: number;
  theta: number[];
  variance_reduction: number;
  first_covariate_reduction: number;
  comparisons: { variant: string; diff: number; se: number; p_value: number; ci: [number, number]; unadjusted_diff: number }[];
}
const ref = JSON.parse(readFileSync("test/stats/cupac-reference.json", "utf8")) as Ref;
const DAY = 86400_000;

function armStats(): Record<string, CupacStats> {
  const exposures = readCsv(readFileSync("test/reference/cupac/exposures.csv", "utf8")).filter((r) => r.experiment === ref.experiment);
  const first = new Map<string, { variant: string; ts: number }>();
  for (const e of exposures) {
    const ts = Date.parse(`${e.ts}Z`);
    const seen = first.get(e.unit_id);
    if (!seen || ts < seen.ts) first.set(e.unit_id, { variant: e.variant, ts });
  }
  const values = new Map<string, number[]>([...first.keys()].map((u) => [u, [0, 0, 0, 0]]));
  for (const ev of readCsv(readFileSync("test/reference/cupac/events.csv", "utf8"))) {
    const f = first.get(ev.unit_id);
    if (!f) continue;
    const ts = Date.parse(`${ev.ts}Z`);
    const v = values.get(ev.unit_id)!;
    const inWindow = ts >= f.ts && ts < f.ts + 7 * DAY;
    const inLookback = ts >= f.ts - 14 * DAY && ts < f.ts;
    if (ev.event === "purchase" && inWindow) v[0]! += Number(ev.value);
    if (ev.event === "purchase" && inLookback) v[1]! += Number(ev.value);
    if (ev.event === "page_view" && inLookback) v[2]! += 1;
    if (ev.event === "purchase" && inLookback) v[3]! += 1;
  }
  const out: Record<string, CupacStats> = {};
  for (const variant of Object.keys(ref.units)) {
    const rows = [...first].filter(([, f]) => f.variant === variant).map(([u]) => values.get(u)!);
    const xs = rows.map((r) => r.slice(1));
    out[variant] = {
      kind: "cupac",
      covariates: ref.covariates,
      n: rows.length,
      sumY: rows.reduce((s, r) => s + r[0]!, 0),
      sumY2: rows.reduce((s, r) => s + r[0]! * r[0]!, 0),
      sumX: [0, 1, 2].map((j) => xs.reduce((s, x) => s + x[j]!, 0)),
      sumXY: [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[0]! * r[j + 1]!, 0)),
      sumXX: [0, 1, 2].map((i) => [0, 1, 2].map((j) => xs.reduce((s, x) => s + x[i]! * x[j]!, 0))),
    };
  }
  return out;
}

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${what}: ${a} vs ${b}`);

describe("regression adjustment on several covariates against statsmodels OLS", () => {
  const arms = armStats();
  const fit = fitCupac(Object.values(arms))!;

  test("θ, residual degrees of freedom and the variance reductions", () => {
    assert.deepEqual(Object.fromEntries(Object.entries(arms).map(([v, a]) => [v, a.n])), ref.units);
    assert.equal(fit.df, ref.df_resid);
    fit.theta.forEach((t, j) => close(t, ref.theta[j]!, 1e-9, `θ ${ref.covariates[j]}`));
    close(fit.varianceReduction, ref.variance_reduction, 1e-9, "variance reduction");
    close(fit.firstCovariateReduction, ref.first_covariate_reduction, 1e-9, "first covariate alone");
  });

  test("each variant's effect and SE to 1e-9, p-value and interval to 1e-9", () => {
    for (const e of ref.comparisons) {
      const r = compareCupac(arms[e.variant]!, arms["control"]!, fit, 0.05);
      assert.equal(r.adjusted.code, "OK");
      close(r.adjusted.diff, e.diff, 1e-9, `${e.variant} diff`);
      close(r.adjusted.se, e.se, 1e-9, `${e.variant} se`);
      close(r.adjusted.pValue, e.p_value, 1e-9, `${e.variant} p`);
      close(r.adjusted.diffCi[0], e.ci[0], 1e-9, `${e.variant} lower`);
      close(r.adjusted.diffCi[1], e.ci[1], 1e-9, `${e.variant} upper`);
      close(r.unadjusted.diff, e.unadjusted_diff, 1e-9, `${e.variant} unadjusted`);
    }
  });

  test("a covariate that is constant or a copy of another is dropped, not inverted", () => {
    const widen = (a: CupacStats): CupacStats => ({
      ...a,
      covariates: [...a.covariates, "copy", "zero"],
      sumX: [...a.sumX, a.sumX[0]!, 0],
      sumXY: [...a.sumXY, a.sumXY[0]!, 0],
      sumXX: [
        [...a.sumXX[0]!, a.sumXX[0]![0]!, 0],
        [...a.sumXX[1]!, a.sumXX[1]![0]!, 0],
        [...a.sumXX[2]!, a.sumXX[2]![0]!, 0],
        [...a.sumXX[0]!, a.sumXX[0]![0]!, 0],
        [0, 0, 0, 0, 0],
      ],
    });
    const wide = fitCupac(Object.values(arms).map(widen))!;
    assert.deepEqual(wide.used, [true, true, true, false, false]);
    assert.equal(wide.df, ref.df_resid);
    wide.theta.slice(0, 3).forEach((t, j) => close(t, ref.theta[j]!, 1e-9, `θ ${ref.covariates[j]}`));
    assert.deepEqual(wide.theta.slice(3), [0, 0]);
  });
});
