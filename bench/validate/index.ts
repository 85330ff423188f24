/**
 * `exp validate` on a generated workspace of 1,000 experiments, 300 metrics and 200 flags (goal < 2 s).
 * Prints one JSON line per figure: in-process cold, in-process warm, and the CLI end to end.
 *   node --import tsx bench/validate/index.ts        (build dist/ first for the CLI figure)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runValidate } from "../../src/cli/validate.js";
import { BENCH_SIZE, generateWorkspace } from "./generate.js";

const dir = mkdtempSync(join(tmpdir(), "exp-bench-validate-"));
try {
  const files = generateWorkspace(dir, BENCH_SIZE);
  const base = { bench: "validate", experiments: BENCH_SIZE.experiments, metrics: BENCH_SIZE.metrics, flags: BENCH_SIZE.flags, files };

  // Module loading (through tsx here) is not validation work: load the modules first.
  await import("../../src/workspace/load.js");
  await import("../../src/workspace/format.js");
  // cpuMs next to ms: on a shared machine the wall time includes waiting for a core.
  let t = performance.now();
  const cpu = process.cpuUsage();
  const cold = await runValidate({ dir, format: "json" });
  const coldMs = performance.now() - t;
  const coldCpu = process.cpuUsage(cpu);
  const report = JSON.parse(cold.stdout) as { ok: boolean; diagnostics: unknown[] };
  if (!report.ok) throw new Error(`generated workspace is not valid: ${cold.stdout.slice(0, 500)}`);
  console.log(
    JSON.stringify({
      ...base,
      mode: "in-process-cold",
      ms: Math.round(coldMs),
      cpuMs: Math.round((coldCpu.user + coldCpu.system) / 1000),
      diagnostics: report.diagnostics.length,
    }),
  );

  // Warm: parsed files are cached by content, so this is the cost of building the model and the checks.
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    await runValidate({ dir, format: "json" });
    warm.push(performance.now() - t);
  }
  console.log(JSON.stringify({ ...base, mode: "in-process-warm", ms: Math.round(Math.min(...warm)) }));

  const bin = join(new URL("../../", import.meta.url).pathname, "bin/exp");
  if (existsSync(join(bin, "../../dist/src/cli/main.js"))) {
    t = performance.now();
    const r = spawnSync(process.execPath, [bin, "validate", "--dir", dir, "--format", "json"], { encoding: "utf8" });
    console.log(JSON.stringify({ ...base, mode: "cli", ms: Math.round(performance.now() - t), exit: r.status }));
  } else console.log(JSON.stringify({ ...base, mode: "cli", skipped: "dist/ not built" }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
