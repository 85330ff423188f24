// Runs every *.test.ts under test/ and src/ with Node's test runner (TypeScript through tsx).
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
const filter = process.argv.slice(2);
let files = [...collect("src", []), ...collect("test", [])].sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
// The example workspace's schedules are real dates. The suite runs at one fixed instant (EXP_NOW,
// read by every time-dependent command) so that it gives the same answers on any day, and does not
// start failing the day those schedules end.
const env = { ...process.env, EXP_NOW: process.env.EXP_NOW || "2026-11-21T12:00:00Z" };
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files], { stdio: "inherit", env });
process.exit(r.status ?? 1);
