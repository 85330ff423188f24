import { join } from "node:path";
import type { Command } from "commander";
import { openWarehouse } from "../analysis/connect.js";
import { fetchSufficientStats } from "../analysis/fetch-stats.js";
import type { Warehouse } from "../analysis/warehouse.js";
import { allocateBandit, type ArmAllocation } from "../bandit/allocate.js";
import { rewriteBanditWeights } from "../bandit/write-weights.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
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
  all?: boolean;
}

function banditExperiment(ws: Workspace, key: string): Experiment {
  const bandits = [...ws.experiments.values()].filter((e) => e.type === "bandit").map((e) => e.key);
  const e = ws.experiments.get(key);
  const which = bandits.length
    ? `the bandit experiments are ${bandits.map((b) => `"${b}"`).join(", ")}`
    : "the workspace has no experiment with type: bandit";
  if (!e) {
    const guess = didYouMean(key, bandits.length ? bandits : ws.experiments.keys());
    throw new UserError(`there is no experiment "${key}"${guess ? `; ${guess}` : ""}`, 1, which);
  }
  if (e.type !== "bandit" || !e.bandit)
    throw new UserError(`experiment "${key}" is of type ${e.type}; exp bandit update works on experiments with type: bandit`, 1, which);
  return e;
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
      if (opts.asOf !== undefined && Number.isNaN(Date.parse(opts.asOf)))
        throw new UserError(`--as-of "${opts.asOf}" is not an ISO-8601 time`, 1, "use e.g. --as-of 2026-12-15T00:00:00Z");
      if ((key === undefined) === !opts.all) throw new UserError("name one bandit experiment, or pass --all for every running one");
      const ws = await loadWorkspaceOrExit(opts);
      const experiments =
        key !== undefined
          ? [banditExperiment(ws, key)]
          : [...ws.experiments.values()].filter((e) => e.type === "bandit" && e.bandit && e.status === "running");
      if (experiments.length === 0) {
        process.stderr.write("No running bandit experiments; nothing to update.\n");
        return 0;
      }
      const show = (ds: Diagnostic[]) => formatDiagnostics(toDiagnosticReport(ds), "text", ws.files, painterFor(process.stderr));
      const opened = await openWarehouse(ws, { connection: opts.connection });
      if (!opened.warehouse) {
        process.stderr.write(show(opened.diagnostics));
        return 1;
      }
      const results: BanditUpdate[] = [];
      let failed = false;
      try {
        for (const e of experiments) {
          const r = await updateOne(ws, e, opened.warehouse, opts);
          if (r.diagnostics.length) process.stderr.write(show(r.diagnostics));
          // With --all, a bandit without enough data keeps its weights and the others still update.
          if (r.skipped !== undefined) {
            if (!opts.all) throw new UserError(r.skipped);
            process.stderr.write(`note: ${e.key} keeps its weights: ${r.skipped}\n`);
          }
          if (r.update) results.push(r.update);
          failed ||= r.failed;
        }
      } finally {
        await opened.warehouse.close();
      }
      if (format === "json") process.stdout.write(`${JSON.stringify(opts.all ? results : (results[0] ?? null), null, 2)}\n`);
      else process.stdout.write(results.map(renderText).join("\n"));
      return failed ? 1 : 0;
    }),
  );
}

interface BanditUpdate {
  experiment: string;
  file: string;
  metric: string;
  minShare: number;
  epoch: number;
  written: boolean;
  arms: ArmAllocation[];
}

/** One bandit: its metric's per-arm statistics, the new weights, and (unless a dry run) the edited file. */
async function updateOne(
  ws: Workspace,
  e: Experiment,
  warehouse: Warehouse,
  opts: BanditUpdateOptions,
): Promise<{ update?: BanditUpdate; skipped?: string; failed: boolean; diagnostics: Diagnostic[] }> {
  const metric = ws.metrics.get(e.bandit!.metric)!;
  const fetched = await fetchSufficientStats(warehouse, ws, e, { asOf: opts.asOf, metrics: [metric.key] });
  if (hasErrors(fetched.diagnostics)) return { failed: true, diagnostics: fetched.diagnostics };
  const stats = fetched.metrics.find((m) => m.metric === metric.key);
  const allocation = allocateBandit(e, metric, stats?.variants ?? {});
  if (!allocation.ok) return { skipped: allocation.reason, failed: false, diagnostics: fetched.diagnostics };
  const epoch = e.bandit!.epoch + 1;
  if (!opts.dryRun) {
    const weights = Object.fromEntries(allocation.arms.map((a) => [a.variant, a.weight]));
    await writeFileAtomic(join(ws.root, e.origin.file), rewriteBanditWeights(ws.files.get(e.origin.file)!.text, weights, epoch));
  }
  return {
    update: {
      experiment: e.key,
      file: e.origin.file,
      metric: metric.key,
      minShare: e.bandit!.min_share,
      epoch,
      written: !opts.dryRun,
      arms: allocation.arms,
    },
    failed: false,
    diagnostics: fetched.diagnostics,
  };
}
