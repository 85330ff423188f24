import { join } from "node:path";
import type { Command } from "commander";
import { openWarehouse } from "../analysis/connect.js";
import { fetchSufficientStats } from "../analysis/fetch-stats.js";
import { allocateBandit, type ArmAllocation } from "../bandit/allocate.js";
import { rewriteBanditWeights } from "../bandit/write-weights.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { painterFor } from "../diagnostics/style.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { writeFileAtomic } from "../fsio/atomic.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { UserError } from "./errors.js";
import { action } from "./run.js";
import { formatDiagnostics, loadWorkspaceOrExit, parseFormat, withWorkspaceOptions, type WorkspaceOptions } from "./shared.js";

interface BanditUpdateOptions extends WorkspaceOptions {
  connection?: string;
  asOf?: string;
  dryRun?: boolean;
}

function banditExperiment(ws: Workspace, key: string): Experiment {
  const bandits = [...ws.experiments.values()].filter((e) => e.type === "bandit").map((e) => e.key);
  const e = ws.experiments.get(key);
  const which = bandits.length ? `the bandit experiments are ${bandits.map((b) => `"${b}"`).join(", ")}` : "the workspace has no experiment with type: bandit";
  if (!e) {
    const guess = didYouMean(key, bandits.length ? bandits : ws.experiments.keys());
    throw new UserError(`there is no experiment "${key}"${guess ? `; ${guess}` : ""}`, 1, which);
  }
  if (e.type !== "bandit" || !e.bandit) throw new UserError(`experiment "${key}" is of type ${e.type}; exp bandit update works on experiments with type: bandit`, 1, which);
  return e;
}

function renderText(e: Experiment, metric: string, arms: ArmAllocation[], epoch: number, wrote: string | undefined): string {
  const rows = [["arm", "units", metric, "P(best)", "weight", "new weight"]];
  for (const a of arms) {
    rows.push([a.variant, a.units.toLocaleString("en-US"), a.mean === null ? "—" : a.mean.toFixed(4), a.probabilityBest.toFixed(4), `${a.previousWeight.toFixed(2)}%`, `${a.weight.toFixed(2)}%`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`);
  const head = `Bandit ${e.key}: Thompson sampling on ${metric}, exploration floor ${(e.bandit!.min_share * 100).toFixed(2)}% per arm`;
  const tail = wrote
    ? `Wrote ${wrote} (epoch ${epoch - 1} → ${epoch}). Review and commit it; exp plan shows how many units switch arm, and exp apply publishes the weights.`
    : `Dry run: ${e.origin.file} is unchanged (epoch would become ${epoch}).`;
  return `${head}\n${lines.join("\n")}\n${tail}\n`;
}

/** `exp bandit update <experiment>`: recompute the arm weights from the warehouse and write them into the experiment file. */
export function registerBandit(program: Command): void {
  const bandit = program.command("bandit").description("multi-armed bandit experiments");
  withWorkspaceOptions(
    bandit
      .command("update")
      .description("recompute a bandit's weights from the warehouse and write them into its experiment file (a normal git change)")
      .argument("<experiment>", "bandit experiment key")
      .option("--connection <name>", "warehouse connection (default: warehouse.default)")
      .option("--as-of <iso>", "only exposures and events before this time")
      .option("--dry-run", "print the new weights without writing the file"),
  ).action(
    action(async (key: string, opts: BanditUpdateOptions) => {
      const format = parseFormat(opts.format);
      if (opts.asOf !== undefined && Number.isNaN(Date.parse(opts.asOf))) throw new UserError(`--as-of "${opts.asOf}" is not an ISO-8601 time`, 1, "use e.g. --as-of 2026-12-15T00:00:00Z");
      const ws = await loadWorkspaceOrExit(opts);
      const e = banditExperiment(ws, key);
      const metric = ws.metrics.get(e.bandit!.metric)!;
      const opened = await openWarehouse(ws, { connection: opts.connection });
      const show = (ds: Parameters<typeof toDiagnosticReport>[0]) => formatDiagnostics(toDiagnosticReport(ds), "text", ws.files, painterFor(process.stderr));
      if (!opened.warehouse) {
        process.stderr.write(show(opened.diagnostics));
        return 1;
      }
      let fetched;
      try {
        fetched = await fetchSufficientStats(opened.warehouse, ws, e, { asOf: opts.asOf, metrics: [metric.key] });
      } finally {
        await opened.warehouse.close();
      }
      if (fetched.diagnostics.length) process.stderr.write(show(fetched.diagnostics));
      if (hasErrors(fetched.diagnostics)) return 1;
      const stats = fetched.metrics.find((m) => m.metric === metric.key);
      const allocation = allocateBandit(e, metric, stats?.variants ?? {});
      if (!allocation.ok) throw new UserError(allocation.reason);
      const epoch = e.bandit!.epoch + 1;
      let wrote: string | undefined;
      if (!opts.dryRun) {
        const source = ws.files.get(e.origin.file)!;
        const weights = Object.fromEntries(allocation.arms.map((a) => [a.variant, a.weight]));
        await writeFileAtomic(join(ws.root, e.origin.file), rewriteBanditWeights(source.text, weights, epoch));
        wrote = e.origin.file;
      }
      if (format === "json") {
        process.stdout.write(`${JSON.stringify({ experiment: e.key, metric: metric.key, minShare: e.bandit!.min_share, epoch, written: wrote !== undefined, arms: allocation.arms }, null, 2)}\n`);
      } else process.stdout.write(renderText(e, metric.key, allocation.arms, epoch, wrote));
      return 0;
    }),
  );
}
