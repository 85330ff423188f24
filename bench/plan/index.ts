/**
 * `exp plan` on the generated workspace of 1,000 experiments, 300 metrics and 200 flags (goal < 3 s),
 * first against nothing published, then after an apply with one experiment's weights changed.
 * Prints one JSON line per figure.   node --import tsx bench/plan/index.ts   (build dist/ first)
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BENCH_SIZE, generateWorkspace } from "../validate/generate.js";

const bin = join(new URL("../../", import.meta.url).pathname, "bin/exp");
const dir = mkdtempSync(join(tmpdir(), "exp-bench-plan-"));
const git = (...args: string[]) =>
  execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@exp.invalid", ...args], { cwd: dir });
try {
  generateWorkspace(dir, BENCH_SIZE);
  // The validate workspace over-fills its layers (validate does not allocate slots); plan must compile,
  // so layered experiments get 1% each (50 per layer at most).
  for (const f of readdirSync(join(dir, "experiments"))) {
    const p = join(dir, "experiments", f);
    const text = readFileSync(p, "utf8");
    if (/^layer:/m.test(text)) writeFileSync(p, text.replace(/^traffic: \d+%/m, "traffic: 1%"));
  }
  writeFileSync(join(dir, ".gitignore"), ".exp/\n");
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "bench workspace");
  const base = { bench: "plan", experiments: BENCH_SIZE.experiments, metrics: BENCH_SIZE.metrics, flags: BENCH_SIZE.flags, goalMs: 3000 };
  const time = (args: string[]) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 1 << 28,
      env: { ...process.env, NO_COLOR: "1", EXP_ACTOR: "bench" },
    });
    return { ms: Math.round(performance.now() - t), status: r.status, out: r.stdout + r.stderr };
  };
  const first = time(["plan", "--format", "json"]);
  if (first.status !== 2 && first.status !== 3) throw new Error(`plan exited ${first.status}: ${first.out.slice(0, 800)}`);
  console.log(
    JSON.stringify({
      ...base,
      mode: "initial (nothing published)",
      ms: first.ms,
      exit: first.status,
      changes: (JSON.parse(first.out.slice(first.out.indexOf("{"))) as { changes: unknown[] }).changes.length,
    }),
  );
  const apply = time(["apply", "--auto-approve", "--format", "json"]);
  console.log(JSON.stringify({ ...base, mode: "apply", ms: apply.ms, exit: apply.status }));
  const expFile = readdirSync(join(dir, "experiments")).sort()[0]!;
  const path = join(dir, "experiments", expFile);
  writeFileSync(
    path,
    readFileSync(path, "utf8").replace(/traffic: (\d+)%/, (_m, p) => `traffic: ${Math.min(100, Number(p) + 5)}%`),
  );
  const second = time(["plan", "--format", "json"]);
  console.log(JSON.stringify({ ...base, mode: "one change after apply", ms: second.ms, exit: second.status }));
  const noop = time(["plan"]);
  console.log(JSON.stringify({ ...base, mode: "text rendering", ms: noop.ms, exit: noop.status }));
  const version = time(["--version"]);
  console.log(JSON.stringify({ bench: "startup", mode: "exp --version", ms: version.ms, goalMs: 200 }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
