import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { renderOne } from "../../src/diagnostics/render.js";
import { plain } from "../../src/diagnostics/style.js";
import { SourceFile } from "../../src/diagnostics/source.js";
import { renderPlanMarkdown } from "../../src/plan/render-markdown.js";
import { renderPlanText } from "../../src/plan/render-text.js";
import { representativePlan } from "./representative-plan.js";

const DIR = new URL("../fixtures/plan-render/", import.meta.url);

/** Compares with the golden file; EXP_UPDATE_GOLDEN=1 rewrites it. A missing golden is a failure, not a new truth. */
function golden(name: string, actual: string): void {
  const url = new URL(name, DIR);
  if (process.env.EXP_UPDATE_GOLDEN) writeFileSync(url, actual);
  assert.ok(
    existsSync(url),
    `the golden file test/fixtures/plan-render/${name} is missing; run with EXP_UPDATE_GOLDEN=1 to write it, then review it`,
  );
  assert.equal(actual, readFileSync(url, "utf8"), `${name} differs from the golden file (EXP_UPDATE_GOLDEN=1 to accept)`);
}

test("plan renderings match the golden files (text unstyled, markdown, json)", () => {
  const plan = representativePlan();
  const files = new Map([
    [
      "experiments/checkout_redesign.yaml",
      new SourceFile(
        "experiments/checkout_redesign.yaml",
        "experiment: checkout_redesign\nvariants:\n  control:  { weight: 80 }\n  one_page: { weight: 20 }\n",
      ),
    ],
  ]);
  const text = renderPlanText(plan, plain, (d) => renderOne(d, (f) => files.get(f), plain));
  assert.match(text, /30\.00% of enrolled units would switch variant/);
  assert.match(text, /Plan: 1 to create, 4 to update, 1 to delete, 1 to replace\./);
  golden("plan.txt", text);
  const md = renderPlanMarkdown(plan);
  assert.match(md, /\| `checkout_redesign` \| 30\.00% \| 0\.00% \| 0\.00% \| yes \|/);
  golden("plan.md", md);
  golden("plan.json", `${JSON.stringify(plan, null, 2)}\n`);
});
