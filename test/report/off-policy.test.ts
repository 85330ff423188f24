import { test } from "node:test";
import assert from "node:assert/strict";
import { correlationSentence, offPolicyMarkdown, offPolicyTextLines } from "../../src/report/off-policy.js";
import { offlineOnlineCorrelation } from "../../src/stats/off-policy-comparison.js";
import { sampleEvaluation as evaluation } from "./off-policy-sample.js";

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
