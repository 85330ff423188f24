// Runs every benchmark in bench/ in turn; each prints JSON lines. BENCH=runtime,plan selects some.
// The analysis benchmark generates 100M events (BENCH_ANALYSIS_SCALE=0.1 for a quick run).
import { spawnSync } from "node:child_process";

const all = ["runtime", "validate", "plan", "analysis", "server"];
const pick = process.env.BENCH ? process.env.BENCH.split(",") : all;
let failed = 0;
for (const name of pick) {
  const r = spawnSync(process.execPath, ["--import", "tsx", `bench/${name}/index.ts`], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`bench/${name} failed (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
