import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { renderOne } from "../../src/diagnostics/render.js";
import { plain } from "../../src/diagnostics/style.js";
import { SourceFile } from "../../src/diagnostics/source.js";
import { diffRulesets, summarise } from "../../src/plan/diff.js";
import type { Plan } from "../../src/plan/model.js";
import { renderPlanMarkdown } from "../../src/plan/render-markdown.js";
import { renderPlanText } from "../../src/plan/render-text.js";
import { smallRuleset } from "../runtime/server/fixture.js";

const DIR = new URL("../fixtures/plan-render/", import.meta.url);

/** A representative plan: a weight change with its exact reassignment, a create, a delete, a replace, checks and drift. */
function representativePlan(): Plan {
  const before = smallRuleset(3);
  before.experiments.old_banner = { ...before.experiments.checkout_redesign!, targeting: undefined };
  before.experiments.search_ranker_v2 = { ...before.experiments.checkout_redesign!, targeting: undefined };
  const after = smallRuleset(4, [8000, 2000]);
  after.experiments.search_ranker_v2 = { ...before.experiments.search_ranker_v2, phase: 2 };
  after.flags.dark_mode = {
    type: "boolean",
    enabled: false,
    variants: { on: true, off: false },
    default: "off",
    prerequisites: [],
    overrides: {},
    rules: [],
  };
  const changes = diffRulesets(before, after);
  const experiments = new SourceFile(
    "experiments/checkout_redesign.yaml",
    "experiment: checkout_redesign\nvariants:\n  control:  { weight: 80 }\n  one_page: { weight: 20 }\n",
  );
  const diagnostic = {
    code: "EXP4001",
    severity: "error" as const,
    message:
      'Changing "variants" of running experiment "checkout_redesign" would switch 30.00% of its enrolled units to another variant; bump "phase" to re-randomise on purpose, or keep the weights.',
    file: experiments.path,
    line: 3,
    column: 3,
    endLine: 4,
    endColumn: 28,
    suggestion: "set phase: 2",
  };
  return {
    formatVersion: 1,
    basedOnVersion: 3,
    basedOnChecksum: before.checksum,
    desiredChecksum: "c0ffee".repeat(10) + "c0ff",
    sourceCommit: "0123456789abcdef0123456789abcdef01234567",
    changes,
    checks: [
      { name: "reassignment", status: "failed", diagnostics: [diagnostic] },
      { name: "collision", status: "passed", diagnostics: [] },
      {
        name: "guardrails",
        status: "warned",
        diagnostics: [
          {
            code: "EXP4131",
            severity: "warning",
            message: 'Running experiment "search_ranker_v2" names no guardrail metric; add one under metrics.guardrails.',
            file: "experiments/search_ranker_v2.yaml",
            line: 1,
            column: 1,
            endLine: 1,
            endColumn: 11,
          },
        ],
      },
    ],
    drift: {
      version: 3,
      cause: "exp rollback by alice at 2026-11-20T10:00:00.000Z, from v4",
      reconcile: "run `exp apply` to publish what git says, or change git to match v3.",
    },
    summary: summarise(changes),
    exitCode: 1,
  };
}

function golden(name: string, actual: string): void {
  const url = new URL(name, DIR);
  if (process.env.EXP_UPDATE_GOLDEN || !existsSync(url)) writeFileSync(url, actual);
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
  assert.match(text, /Plan: 1 to create, 1 to update, 1 to delete, 1 to replace\./);
  golden("plan.txt", text);
  const md = renderPlanMarkdown(plan);
  assert.match(md, /\| `checkout_redesign` \| 30\.00% \| 0\.00% \| 0\.00% \| yes \|/);
  golden("plan.md", md);
  golden("plan.json", `${JSON.stringify(plan, null, 2)}\n`);
});
