import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FlagdCore } from "@openfeature/flagd-core";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { exportFlagd } from "../../src/compiler/ruleset/flagd.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import type { Experiment } from "../../src/workspace/model.js";
import { attr, bin, experiment, flag, matches, shopWorkspace, str, workspace } from "../runtime/fixture.js";

const landing = (over: Partial<Experiment> = {}): Experiment =>
  experiment("landing", {
    type: "split_url",
    traffic: 0.3,
    targeting: bin("==", attr("platform"), str("web")),
    schedule: { start: "2020-01-01T00:00:00Z", end: "2099-01-01T00:00:00Z" },
    variants: [
      { key: "control", weight: 1, url: "https://shop.example.com/" },
      { key: "gifts", weight: 1, config: { banner: "gift guide" }, url: "https://shop.example.com/gifts" },
      { key: "plain_config", weight: 1, config: "compact", url: "https://shop.example.com/compact" },
    ],
    ...over,
  });

describe("flagd export of split-URL experiments", () => {
  test("a split-URL experiment is an object flag whose values carry each variant's url and config", () => {
    const { value: ruleset } = compileRuleset(workspace({ experiments: [landing(), experiment("plain")], holdouts: { h: 0.05 } }));
    const { document, diagnostics } = exportFlagd(ruleset);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual(Object.keys(document.flags), ["landing"], "experiments without urls stay out of the export");
    const f = document.flags.landing!;
    assert.deepEqual(f.variants, {
      control: { url: "https://shop.example.com/" },
      gifts: { banner: "gift guide", url: "https://shop.example.com/gifts" },
      plain_config: { url: "https://shop.example.com/compact", config: "compact" },
      not_enrolled: { url: null },
    });
    assert.equal(f.defaultVariant, "not_enrolled");
  });

  test("flagd gives every unit the same variant and url as the runtime (traffic, targeting, holdout, schedule)", () => {
    const { value: ruleset } = compileRuleset(workspace({ experiments: [landing()], holdouts: { h: 0.05 } }));
    const { document } = exportFlagd(ruleset);
    const core = new FlagdCore();
    core.setConfigurations(JSON.stringify(document));
    const ev = createEvaluator(ruleset);
    const seen = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const unit = `visitor_${i}`;
      const attrs = { platform: i % 4 === 0 ? "ios" : "web" };
      const ours = ev.assign("landing", unit, attrs);
      const theirs = core.resolveObjectEvaluation("landing", {}, { ...attrs, targetingKey: unit } as never);
      const value = theirs.value as { url: string | null };
      assert.equal(value.url, ours.url, unit);
      assert.equal(theirs.variant, ours.variant ?? "not_enrolled", unit);
      const path = ours.inExperiment ? `${ours.variant}` : `${ours.reasons.at(-1)}`;
      seen.set(path, (seen.get(path) ?? 0) + 1);
    }
    // Every path is reached, or agreement would be hollow.
    for (const path of ["control", "gifts", "plain_config", "outside_traffic", "targeting_mismatch", "in_holdout:h"])
      assert.ok((seen.get(path) ?? 0) > 0, `${path} never reached: ${[...seen.keys()]}`);
  });

  test("a split-URL experiment that is not running is exported with every unit not enrolled", () => {
    const { document } = exportFlagd(compileRuleset(workspace({ experiments: [landing({ status: "paused" })] })).value);
    assert.equal(document.flags.landing!.targeting, undefined);
    assert.equal(document.flags.landing!.defaultVariant, "not_enrolled");
  });

  test("a variant named not_enrolled moves the extra variant aside", () => {
    const e = landing({
      variants: [
        { key: "not_enrolled", weight: 1, url: "https://shop.example.com/a" },
        { key: "b", weight: 1, url: "https://shop.example.com/b" },
      ],
    });
    const { document } = exportFlagd(compileRuleset(workspace({ experiments: [e] })).value);
    assert.equal(document.flags.landing!.defaultVariant, "not_enrolled_");
    assert.deepEqual(document.flags.landing!.variants.not_enrolled, { url: "https://shop.example.com/a" });
  });

  test("what used to export still does: an inexpressible or clashing split-URL experiment is left out with a warning", () => {
    const regex = landing({ targeting: matches(attr("email"), "@corp$") });
    const { document, diagnostics } = exportFlagd(compileRuleset(workspace({ experiments: [regex], flags: [flag("other")] })).value);
    assert.deepEqual(Object.keys(document.flags), ["other"]);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [["EXP5022", "warning"]],
    );
    assert.match(diagnostics[0]!.message, /experiment "landing": "matches"/);

    const clash = exportFlagd(compileRuleset(workspace({ experiments: [landing()], flags: [flag("landing")] })).value);
    assert.equal(clash.document.flags.landing!.defaultVariant, "off");
    assert.deepEqual(
      clash.diagnostics.map((d) => [d.code, d.severity]),
      [["EXP5022", "warning"]],
    );
  });

  test("a workspace without split-URL experiments exports exactly its flags, as before", () => {
    const { value: ruleset } = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00Z" });
    assert.deepEqual(Object.keys(exportFlagd(ruleset).document.flags), Object.keys(ruleset.flags).sort());
  });
});
