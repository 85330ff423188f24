// Runs the *.test.ts files under test/ (and src/) with Node's test runner, TypeScript through tsx.
//   node scripts/run-tests.mjs            every test
//   node scripts/run-tests.mjs --unit     everything outside test/e2e/: needs Node and npm packages only
//   node scripts/run-tests.mjs --e2e      test/e2e/: PostgreSQL, Chromium, tmux, SciPy, the demo, crash tests
//   node scripts/run-tests.mjs plan/lock  only files whose path contains one of the arguments
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "fixtures") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}
const args = process.argv.slice(2);
const lane = args.includes("--unit") ? "unit" : args.includes("--e2e") ? "e2e" : "all";
const filter = args.filter((a) => !a.startsWith("--"));
const E2E = join("test", "e2e") + "/";
let files = [...collect("src", []), ...collect("test", [])].sort();
if (lane === "unit") files = files.filter((f) => !f.startsWith(E2E));
if (lane === "e2e") files = files.filter((f) => f.startsWith(E2E));
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test file matches ${filter.join(", ") || "this lane"}`);
  process.exit(1);
}
// The example workspace's schedules are real dates. The suite runs at one fixed instant (EXP_NOW,
// read by every time-dependent command) so that it gives the same answers on any day, and does not
// start failing the day those schedules end.
const env = { ...process.env, EXP_NOW: process.env.EXP_NOW || "2026-11-21T12:00:00Z" };
// The one time limit: it stops a hung command, not a slow one. Node's runner applies it to each test
// and to each file as a whole (it kills the file's process, which also ends a spawnSync that never
// returns), so it is set far above what the slowest file takes on a loaded two-core machine.
const timeout = Number(process.env.EXP_TEST_TIMEOUT_MS || 30 * 60_000);
const nodeArgs = ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", `--test-timeout=${timeout}`, ...files];
const r = spawnSync(process.execPath, nodeArgs, {
  stdio: "inherit",
  env,
});
process.exit(r.status ?? 1);
