import { test } from "node:test";
import assert from "node:assert/strict";
import { correlationSentence, offPolicyMarkdown, offPolicyTextLines } from "../../src/report/off-policy.js";
import { offlineOnlineCorrelation, onlineComparison, type EvaluationJson } from "../../src/stats/off-policy-comparison.js";
import type { MetricJson } from "../../src/stats/analysis-types.js";

const estimate = (estimator: "ips" | "snips" | "dr", value: number, diff: number) => ({
  estimator,
  code: "OK" as const,
  value,
  se: 0.004,
  ci: [value - 0.008, value + 0.008] as [number, number],
  diff,
  diff_ci: [diff - 0.006, diff + 0.006] as [number, number],
  rel_lift: diff / 0.1,
});

function evaluation(online?: { rel_lift: number; rel_ci: [number, number] }): EvaluationJson {
  const estimates = [estimate("ips", 0.116, 0.016), estimate("snips", 0.115, 0.015), estimate("dr", 0.115, 0.015)];
  const metric: MetricJson = {
    metric: "top5_ctr",
    tier: "primary",
    kind: "ratio",
    direction: "increase",
    variants: { control: { n: 100, mean: 0.1, variance: 0.01 }, ranker_v2: { n: 100, mean: 0.11, variance: 0.01 } },
    comparisons: online
      ? [
          {
            variant: "ranker_v2",
            code: "OK",
            diff: 0.01,
            diff_ci: [0, 0.02],
            ...online,
            p_value: 0.01,
            p_value_adjusted: 0.01,
            significant: true,
          },
        ]
      : [],
  };
  const compared = onlineComparison(estimates, { experiment: "search_ranker_v2", control: "control", variant: "ranker_v2", metric });
  return {
    evaluation: "ranker_offline",
    table: "search_decisions",
    alpha: 0.05,
    rows: 2000,
    invalid_rows: 0,
    units: 1900,
    contexts: 2000,
    actions: 5,
    logging: { value: 0.1, se: 0.002, ci: [0.096, 0.104] },
    estimates,
    clip: { cap: 20, clipped: 1, share: 0.0005 },
    weights: {
      ess: 12.6,
      ess_share: 0.0063,
      max_weight: 31.5,
      propensity_floor: 0.01,
      below_floor: 40,
      below_floor_share: 0.02,
      low_ess: true,
    },
    warnings: ['evaluation "ranker_offline" has an effective sample size of 12.6 out of 2,000 decisions'],
    ...(online && compared ? { online: compared } : {}),
    provenance: { sourceCommit: null, definitionsSha256: "0".repeat(64), sqlSha256: "0".repeat(64), engine: "exp test" },
  };
}

test("the markdown section states the weights, warns, and lists every estimator against the logging policy", () => {
  const md = offPolicyMarkdown([evaluation()]);
  assert.match(md, /^### Off-policy evaluation\n/);
  assert.match(
    md,
    /effective sample size 12\.6 \(0\.6%\); largest weight 31\.5; 40 propensities below 1\.0%; weights clipped at 20 \(1 decision, 0\.05%\)/,
  );
  assert.match(md, /^- ⚠️ evaluation "ranker_offline" has an effective sample size of 12\.6/m);
  assert.match(md, /^\| doubly robust \| 0\.115 \| 0\.107 to 0\.123 \| \+0\.015 \| \+0\.009 to \+0\.021 \| \+15\.00% \|$/m);
  assert.doesNotMatch(md, /Online,/);
  assert.equal(offPolicyMarkdown(undefined), "");
});

test("with an online result the two lifts sit side by side, and agreement is claimed only when the online interval excludes zero", () => {
  const sure = offPolicyMarkdown([evaluation({ rel_lift: 0.1, rel_ci: [0.02, 0.18] })]);
  assert.match(
    sure,
    /Online, `search_ranker_v2` measured `top5_ctr` for `ranker_v2` against `control` at \+10\.00% \(\+2\.00% to \+18\.00%\); offline, doubly robust estimated \+15\.00%.* Both point the same way\./,
  );
  const unsure = offPolicyTextLines([evaluation({ rel_lift: 0.01, rel_ci: [-0.2, 0.22] })]).join("\n");
  assert.match(unsure, /The online interval includes zero, so it neither confirms nor contradicts the offline estimate\./);
  const opposite = offPolicyMarkdown([evaluation({ rel_lift: -0.1, rel_ci: [-0.18, -0.02] })]);
  assert.match(opposite, /They point opposite ways/);
});

test("the offline-to-online correlation needs three evaluations with both, and spread on each side", () => {
  assert.deepEqual(offlineOnlineCorrelation([{ offline: 0.1, online: 0.05 }]), { pairs: 1, correlation: null });
  const r = offlineOnlineCorrelation([
    { offline: 0.1, online: 0.05 },
    { offline: 0.2, online: 0.12 },
    { offline: -0.05, online: -0.01 },
    { offline: 0.3, online: null },
  ]);
  assert.equal(r.pairs, 3);
  // numpy.corrcoef([0.1, 0.2, -0.05], [0.05, 0.12, -0.01])[0, 1]
  assert.ok(Math.abs(r.correlation! - 0.9873316923407115) < 1e-12, String(r.correlation));
  assert.match(correlationSentence(r), /across 3 evaluations: r = 0\.987/);
  assert.match(correlationSentence({ pairs: 1, correlation: null }), /1 evaluation has an online result; .* needs at least three/);
});
