/**
 * The Python SDK against the TypeScript runtime, in the same run, on the same units and ruleset (the
 * example workspace): evaluations per second of (a) one targeted, layered experiment, (b) one flag
 * with an override, a prerequisite and rules, (c) every experiment and flag of a unit. Prints JSON
 * lines: one per (workload, runtime) with the median of BENCH_ROUNDS rounds, then the ratio.
 *   node --import tsx bench/python/index.ts        (or BENCH=python npm run bench)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { loadWorkspace } from "../../src/workspace/load.js";
import { mulberry32 } from "../../test/helpers/prng.js";
import { PYTHON } from "../../test/conformance/python.js";
import { randomPopulation } from "../../test/conformance/random-population.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const REPO = fileURLToPath(new URL("../../", import.meta.url));

const loaded = await loadWorkspace(REPO);
if (!loaded.value) throw new Error(loaded.diagnostics.map((d) => d.message).join("\n"));
const ruleset = compileRuleset(loaded.value, { createdAt: "2026-12-01T00:00:00.000Z" }).value;
const at = Date.parse("2026-12-10T00:00:00Z");
const units = randomPopulation(mulberry32(42), 4096, ruleset, {}).map((u) => ({ ...u, at }));
const MASK = units.length - 1;
const perUnit = Object.keys(ruleset.experiments).length + Object.keys(ruleset.flags).length;
const workloads = [
  { name: "a_experiment_targeted_layered", call: "assign", key: "checkout_redesign", evaluationsPerOp: 1 },
  { name: "b_flag_override_prerequisite_rules", call: "evaluate", key: "new_search", evaluationsPerOp: 1 },
  { name: "c_evaluate_all", call: "evaluateAll", evaluationsPerOp: perUnit },
] as const;

const ev = createEvaluator(ruleset);
const tsRates: Record<string, number> = {};
let sink = 0;
for (const w of workloads) {
  const fn =
    w.call === "assign"
      ? (i: number) => ev.assign(w.key, units[i]!.unit, units[i]!.attributes, at).inExperiment
      : w.call === "evaluate"
        ? (i: number) => ev.evaluate(w.key, units[i]!.unit, units[i]!.attributes, at).value
        : (i: number) => ev.evaluateAll(units[i]!.unit, units[i]!.attributes, at).flags;
  const n = Math.max(1, Math.floor((OPS * 20) / w.evaluationsPerOp));
  for (let i = 0; i < 50_000; i++) if (fn(i & MASK)) sink++;
  const rates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (fn(i & MASK)) sink++;
    rates.push((n * w.evaluationsPerOp) / ((performance.now() - t0) / 1000));
  }
  tsRates[w.name] = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  console.log(JSON.stringify({ workload: w.name, impl: "typescript", evaluationsPerSec: Math.round(tsRates[w.name]!) }));
}

const dir = mkdtempSync(join(tmpdir(), "exp-bench-python-"));
try {
  writeFileSync(join(dir, "ruleset.json"), JSON.stringify(ruleset));
  writeFileSync(join(dir, "units.ndjson"), units.map((u) => JSON.stringify(u)).join("\n") + "\n");
  const args = [
    join(REPO, "bench/python/bench.py"),
    join(dir, "ruleset.json"),
    join(dir, "units.ndjson"),
    String(ROUNDS),
    String(OPS),
    JSON.stringify(workloads),
  ];
  const r = spawnSync(PYTHON, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${PYTHON} bench/python/bench.py failed: ${r.stderr}`);
  for (const line of r.stdout.trim().split("\n")) {
    const py = JSON.parse(line) as { workload: string; evaluationsPerSec: number };
    console.log(line);
    console.log(
      JSON.stringify({ workload: py.workload, typescriptOverPython: +(tsRates[py.workload]! / py.evaluationsPerSec).toFixed(1) }),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (sink < 0) console.log(sink);
