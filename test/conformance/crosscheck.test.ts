import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { canonicalJson } from "../../src/ruleset/canonical-json.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { mulberry32 } from "../helpers/prng.js";
import { PYTHON, PYTHON_ENV, REPO } from "./python.js";
import { randomPopulation } from "./random-population.js";

/** At least 100,000 (the acceptance bar); EXP_CROSSCHECK_UNITS raises it, EXP_CROSSCHECK_SEED replays a run. */
const UNITS = Math.max(100_000, Number(process.env.EXP_CROSSCHECK_UNITS ?? 0));
const SEED = process.env.EXP_CROSSCHECK_SEED ? Number(process.env.EXP_CROSSCHECK_SEED) : Math.floor(Math.random() * 2 ** 32);

test(`the Python SDK and the TypeScript runtime agree on every experiment and flag of the example workspace for ${UNITS} random units`, async (t) => {
  t.diagnostic(`seed ${SEED} (replay with EXP_CROSSCHECK_SEED=${SEED})`);
  console.log(`cross-check seed ${SEED} (replay with EXP_CROSSCHECK_SEED=${SEED})`);
  const loaded = await loadWorkspace(REPO);
  assert.ok(loaded.value, loaded.diagnostics.map((d) => d.message).join("\n"));
  const ruleset = compileRuleset(loaded.value, { createdAt: "2026-12-01T00:00:00.000Z" }).value;
  const enums = Object.fromEntries(
    Object.entries(loaded.value.settings.attributes).flatMap(([k, v]) => (typeof v === "object" && "enum" in v ? [[k, v.enum]] : [])),
  );
  const population = randomPopulation(mulberry32(SEED), UNITS, ruleset, enums);
  const dir = mkdtempSync(join(tmpdir(), "exp-crosscheck-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rulesetFile = join(dir, "ruleset.json");
  const unitsFile = join(dir, "units.ndjson");
  writeFileSync(rulesetFile, JSON.stringify(ruleset));
  writeFileSync(unitsFile, population.map((u) => JSON.stringify(u)).join("\n") + "\n");

  const started = performance.now();
  const python = spawn(PYTHON, ["-m", "exp_sdk", "evaluate-all", rulesetFile], {
    cwd: REPO,
    env: PYTHON_ENV,
    stdio: [openSync(unitsFile, "r"), "pipe", "pipe"],
  });
  let stderr = "";
  python.stderr!.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => python.on("close", resolve));

  const ts = createEvaluator(ruleset);
  const evaluations = Object.keys(ruleset.experiments).length + Object.keys(ruleset.flags).length;
  const disagreements: string[] = [];
  let disagreeing = 0;
  let spelledApart = 0;
  let i = 0;
  for await (const line of createInterface({ input: python.stdout!, crlfDelay: Infinity })) {
    const u = population[i]!;
    const result = ts.evaluateAll(u.unit, u.attributes, u.at);
    // Python writes what JSON.stringify writes, so equal text settles most lines; any other line is
    // compared as canonical JSON, which no difference of spelling can pass.
    if (JSON.stringify(result) === line) {
      i++;
      continue;
    }
    spelledApart++;
    const ours = canonicalJson(result);
    const theirs = canonicalJson(JSON.parse(line));
    if (ours !== theirs) {
      disagreeing++;
      if (disagreements.length < 5)
        disagreements.push(
          `unit ${JSON.stringify(u.unit)} attributes ${JSON.stringify(u.attributes)} at ${new Date(u.at).toISOString()}\n  TypeScript ${ours}\n  Python     ${theirs}`,
        );
    }
    i++;
  }
  const code = await exited;
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(
    `${i} units × ${evaluations} experiments and flags compared in ${seconds.toFixed(1)} s (${spelledApart} lines compared as canonical JSON)`,
  );
  assert.equal(code, 0, `python3 -m exp_sdk evaluate-all failed:\n${stderr}`);
  assert.equal(i, UNITS, `Python answered ${i} of ${UNITS} units:\n${stderr}`);
  assert.equal(disagreeing, 0, `${disagreeing} of ${UNITS} units disagree (seed ${SEED}); the first:\n${disagreements.join("\n")}`);
  assert.ok(
    population.some((u) => /[^\x00-\x7f]/.test(u.unit)),
    "the population has non-ASCII unit ids",
  );
});
