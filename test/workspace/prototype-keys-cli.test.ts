import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../helpers/workspace.js";

/*
 * An experiment or a flag keyed "constructor" crashed plan and apply: the loader's and the
 * compiler's maps were plain objects, so "constructor" found Object's constructor. Keys are names
 * only now: both publish and are served like any other. "__proto__" as a key (here a variant) is
 * EXP1014 at validate: it is the one name JavaScript cannot keep as a plain key, and it once turned
 * a YAML mapping into the prototype of the experiment (published as running without a status).
 */
function copyAs(dir: string, from: string, to: string, rename: [string, string][]): void {
  let text = readFileSync(join(dir, from), "utf8");
  for (const [a, b] of rename) text = text.replaceAll(a, b);
  writeFileSync(join(dir, to), text);
}

describe("keys named like Object.prototype's members", () => {
  test('an experiment and a flag named "constructor" validate, plan, apply and are served', () => {
    const dir = exampleRepo();
    try {
      copyAs(dir, "experiments/landing_page_split.yaml", "experiments/constructor.yaml", [
        ["experiment: landing_page_split", "experiment: constructor"],
        // Disjoint from landing_page_split, which splits the same page outside a layer.
        ['targeting: platform == "web"', 'targeting: platform == "ios"'],
      ]);
      copyAs(dir, "flags/holiday_banner.yaml", "flags/constructor.yaml", [["flag: holiday_banner", "flag: constructor"]]);
      const validate = exp(dir, ["validate", "--format", "json"]);
      assert.equal(validate.stdout, '{"ok":true,"diagnostics":[]}\n', validate.stderr);

      // The text plan is what a user reads and what apply prints before it publishes: rendering a
      // change whose "before" was Object's constructor is what crashed.
      const plan = exp(dir, ["plan"]);
      assert.equal(plan.status, 2, plan.stderr + plan.stdout); // changes, no failed check
      assert.match(plan.stdout, /^ {2}\+ experiment\.constructor will be created$/m);
      assert.match(plan.stdout, /^ {2}\+ flag\.constructor will be created$/m);
      const changes = (JSON.parse(exp(dir, ["plan", "--format", "json"]).stdout) as { changes: { address: string; action: string }[] })
        .changes;
      assert.deepEqual(
        changes.filter((c) => c.address.endsWith(".constructor")).map((c) => [c.address, c.action]),
        [
          ["experiment.constructor", "create"],
          ["flag.constructor", "create"],
        ],
      );

      const apply = exp(dir, ["apply", "--auto-approve"]);
      assert.equal(apply.status, 0, apply.stderr + apply.stdout);
      assert.match(apply.stdout, /^Applied: first version → v1 /m);
      const again = exp(dir, ["plan"]);
      assert.equal(again.status, 0, again.stderr + again.stdout); // the published constructor is the desired one

      const ruleset = JSON.parse(exp(dir, ["export", "--format", "ruleset"]).stdout);
      assert.equal(Object.hasOwn(ruleset.experiments, "constructor"), true);
      assert.equal(Object.hasOwn(ruleset.flags, "constructor"), true);
      const assigned = exp(dir, ["assign", "constructor", "--unit", "user_1", "--attr", "platform=ios", "--format", "json"]);
      assert.equal(assigned.status, 0, assigned.stderr + assigned.stdout);
      assert.match(assigned.stdout, /"constructor"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a variant named "__proto__" is EXP1014 at validate, at the key', () => {
    const dir = exampleRepo();
    try {
      copyAs(dir, "experiments/landing_page_split.yaml", "experiments/landing_page_split.yaml", [["  gift_guide:", "  __proto__:"]]);
      const r = exp(dir, ["validate", "--format", "json"]);
      assert.equal(r.status, 1);
      const report = JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; line: number }[] };
      assert.deepEqual(
        report.diagnostics.map((d) => [d.code, d.file, d.line]),
        [["EXP1014", "experiments/landing_page_split.yaml", 15]],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
