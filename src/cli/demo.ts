import type { Command } from "commander";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runDemo } from "../demo/run.js";
import { action } from "./run.js";
import { badOption } from "./shared.js";

export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "the main job end to end on the embedded example: init, validate, plan, apply, serve, generate data with planted effects, analyse, report",
    )
    .option("--out <dir>", "where to create the demo repository (default: a new temp folder)")
    .option(
      "--scale <factor>",
      "size of the synthetic population: 1 = 40,000 units (about 2.5M events); much below 1 the planted effects may be too small to detect",
      "1",
    )
    .option("--seed <n>", "random seed of the synthetic data", "20261121")
    .action(
      action(async (opts: { out?: string; scale: string; seed: string }) => {
        const scale = Number(opts.scale);
        if (!Number.isFinite(scale) || scale <= 0 || scale > 50)
          throw badOption(`--scale must be a number above 0 and at most 50, not "${opts.scale}"`);
        const seed = Number(opts.seed);
        if (!Number.isInteger(seed)) throw badOption(`--seed must be a whole number, not "${opts.seed}"`);
        const dir = opts.out ? resolve(process.cwd(), opts.out) : join(mkdtempSync(join(tmpdir(), "exp-demo-")), "shop");
        const outcome = await runDemo({ dir, units: Math.round(40_000 * scale), seed, log: (l) => process.stdout.write(`${l}\n`) });
        const missed = outcome.expectations.filter((x) => !x.held);
        if (missed.length) {
          process.stdout.write(`${missed.length} planted effect${missed.length === 1 ? " was" : "s were"} not found (see above).\n`);
          return 1;
        }
        process.stdout.write(`Done. Explore: cd ${dir} && npx exp plan   (reports are committed: git log --stat)\n`);
        return 0;
      }),
    );
}
