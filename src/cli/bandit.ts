import type { Command } from "commander";
import { banditExperiment, runningBandits, updateBandits, type BanditUpdate } from "../app/bandit-update.js";
import { APP_CODES } from "../app/codes.js";
import { ExpError } from "../diagnostics/errors.js";
import { action } from "./run.js";
import {
  badOption,
  diagnosticsText,
  loadWorkspaceOrExit,
  parseFormat,
  parseInstant,
  withWorkspaceOptions,
  type WorkspaceOptions,
} from "./shared.js";

interface BanditUpdateOptions extends WorkspaceOptions {
  connection?: string;
  asOf?: string;
  dryRun?: boolean;
  all?: boolean;
}

function renderText(u: BanditUpdate): string {
  const rows = [["arm", "units", u.metric, "P(best)", "weight", "new weight"]];
  for (const a of u.arms) {
    rows.push([
      a.variant,
      a.units.toLocaleString("en-US"),
      a.mean === null ? "—" : a.mean.toFixed(4),
      a.probabilityBest.toFixed(4),
      `${a.previousWeight.toFixed(2)}%`,
      `${a.weight.toFixed(2)}%`,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`);
  const head = `Bandit ${u.experiment}: Thompson sampling on ${u.metric}, exploration floor ${(u.minShare * 100).toFixed(2)}% per arm`;
  const tail = u.written
    ? `Wrote ${u.file} (epoch ${u.epoch - 1} → ${u.epoch}). Review and commit it; exp plan shows how many units switch arm, and exp apply publishes the weights.`
    : `Dry run: ${u.file} is unchanged (epoch would become ${u.epoch}).`;
  return `${head}\n${lines.join("\n")}\n${tail}\n`;
}

/** `exp bandit update <experiment>`: recompute the arm weights from the warehouse and write them into the experiment file. */
export function registerBandit(program: Command): void {
  const bandit = program.command("bandit").description("multi-armed bandit experiments");
  withWorkspaceOptions(
    bandit
      .command("update")
      .description("recompute a bandit's weights from the warehouse and write them into its experiment file (a normal git change)")
      .argument("[experiment]", "bandit experiment key")
      .option("--all", "every running bandit experiment")
      .option("--connection <name>", "warehouse connection (default: warehouse.default)")
      .option("--as-of <iso>", "only exposures and events before this time")
      .option("--dry-run", "print the new weights without writing the file"),
  ).action(
    action(async (key: string | undefined, opts: BanditUpdateOptions) => {
      const format = parseFormat(opts.format);
      parseInstant("--as-of", opts.asOf);
      if ((key === undefined) === !opts.all) throw badOption("name one bandit experiment, or pass --all for every running one");
      const ws = await loadWorkspaceOrExit(opts);
      const experiments = key !== undefined ? [banditExperiment(ws, key)] : runningBandits(ws);
      if (experiments.length === 0) {
        process.stderr.write("No running bandit experiments; nothing to update.\n");
        return 0;
      }
      const show = (ds: Parameters<typeof diagnosticsText>[0]) => process.stderr.write(diagnosticsText(ds, ws.files, process.stderr));
      const run = await updateBandits(ws, experiments, { connection: opts.connection, asOf: opts.asOf, dryRun: Boolean(opts.dryRun) });
      if (!run.value) {
        show(run.diagnostics);
        return 1;
      }
      const results: BanditUpdate[] = [];
      let failed = false;
      for (const r of run.value) {
        show(r.diagnostics);
        // With --all, a bandit without enough data keeps its weights and the others still update.
        if (r.skipped !== undefined) {
          if (!opts.all) throw ExpError.of(APP_CODES.notEnoughData, r.skipped);
          process.stderr.write(`note: ${r.experiment} keeps its weights: ${r.skipped}\n`);
        }
        if (r.update) results.push(r.update);
        failed ||= r.failed;
      }
      if (format === "json") process.stdout.write(`${JSON.stringify(opts.all ? results : (results[0] ?? null), null, 2)}\n`);
      else process.stdout.write(results.map(renderText).join("\n"));
      return failed ? 1 : 0;
    }),
  );
}
