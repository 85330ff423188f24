import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { verifyRuleset } from "../../src/ruleset/verify.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { shopWorkspace } from "./fixture.js";
import { splitUrlRuleset } from "./split-url-fixture.js";

const AT = Date.parse("2026-12-10T00:00:00Z");

describe("split-URL experiments in the ruleset and the runtime", () => {
  test("the compiler keeps each split-URL variant's url and adds none to other designs", () => {
    const rs = splitUrlRuleset();
    assert.ok(verifyRuleset(rs).value);
    assert.deepEqual(
      rs.experiments.landing!.variants.map((v) => v.url),
      ["https://shop.example.com/", "https://shop.example.com/gifts?src=split"],
    );
    assert.ok(rs.experiments.plain!.variants.every((v) => !("url" in v)));
  });

  test("rulesets without split-URL experiments keep their checksum: no url member appears", () => {
    const { value: ruleset } = compileRuleset(shopWorkspace(), { createdAt: "2026-12-01T00:00:00.000Z" });
    assert.ok(!JSON.stringify(ruleset).includes('"url"'));
  });

  test("assign returns the variant's url when enrolled, and null when not enrolled or the variant has none", () => {
    const ev = createEvaluator(splitUrlRuleset());
    const urls = new Set<string | null>();
    for (let i = 0; i < 200; i++) {
      const r = ev.assign("landing", `u${i}`, {}, AT);
      assert.equal(r.inExperiment, true);
      assert.equal(r.url, r.variant === "gifts" ? "https://shop.example.com/gifts?src=split" : "https://shop.example.com/");
      urls.add(r.url);
    }
    assert.equal(urls.size, 2);
    assert.equal(ev.assign("plain", "u1", {}, AT).url, null);
    assert.equal(ev.assign("no_such", "u1", {}, AT).url, null);
    assert.deepEqual(ev.evaluateAll("u1", {}, AT).experiments.landing, ev.assign("landing", "u1", {}, AT));
  });

  test("a unit outside the traffic gets no url", () => {
    const rs = splitUrlRuleset();
    rs.experiments.landing!.traffic = 0;
    const r = createEvaluator(rs).assign("landing", "u1", {}, AT);
    assert.deepEqual([r.inExperiment, r.variant, r.url], [false, null, null]);
  });
});
