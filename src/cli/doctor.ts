import type { Command } from "commander";
import type { TableReport } from "../analysis/inspect/inspect-warehouse.js";
import { doctorWarehouse, type DoctorReport } from "../app/doctor.js";
import { toDiagnosticReport } from "../diagnostics/json.js";
import { action } from "./run.js";
import { diagnosticsText, loadWorkspaceOrExit, parseFormat, withWorkspaceOptions, type WorkspaceOptions } from "./shared.js";

interface DoctorOptions extends WorkspaceOptions {
  connection?: string;
}

function tableLines(t: TableReport): string[] {
  if (t.status === "not used yet") return [`· ${t.role}: not used yet`];
  if (t.status === "missing") return [`✖ ${t.role}: table "${t.table}" not found`];
  const lines = [`${t.status === "ok" ? "✔" : "✖"} ${t.role}: table "${t.table}", ${t.rows ?? 0} rows`];
  for (const c of t.columns) {
    const as = c.column === c.name ? "" : ` as "${c.column}"`;
    const epoch = c.name === "ts" && t.range?.epoch ? ` (epoch ${t.range.epoch})` : "";
    if (c.found) lines.push(`  ✔ ${c.name}${as}: ${c.type}${epoch}`);
    else lines.push(`  ${c.required ? "✖" : "!"} ${c.name}${as}: missing${c.required ? "" : " (optional)"}`);
  }
  if (t.range?.from) lines.push(`  time range: ${t.range.from} … ${t.range.to}`);
  for (const v of t.variants ?? []) lines.push(`  ${v.experiment} / ${v.variant}: ${v.units} units, ${v.rows} exposures`);
  for (const e of t.events ?? []) lines.push(`  ${e.event}: ${e.rows} events`);
  return lines;
}

function renderText(r: DoctorReport): string {
  const lines = [`connection "${r.connection}"`, ...r.tables.flatMap(tableLines)];
  const errors = r.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = r.diagnostics.filter((d) => d.severity === "warning").length;
  if (r.hint) lines.push(`hint: ${r.hint}`);
  lines.push(
    "",
    r.ok
      ? `No problems found${warnings ? ` (${warnings} warning(s) on stderr)` : ""}.`
      : `${errors} problem(s) found; each is explained with its fix on stderr.`,
  );
  return `${lines.join("\n")}\n`;
}

/** `exp doctor`: checks that the warehouse tables have what the analysis reads, and says how to fix what they lack. */
export function registerDoctor(program: Command): void {
  withWorkspaceOptions(
    program
      .command("doctor")
      .description("inspect the warehouse connection: tables, columns, types, row counts, and what to fix")
      .option("--connection <name>", "warehouse connection (default: warehouse.default)"),
  ).action(
    action(async (opts: DoctorOptions) => {
      const format = parseFormat(opts.format, ["text", "json"] as const);
      const ws = await loadWorkspaceOrExit(opts);
      const report = await doctorWarehouse(ws, { connection: opts.connection });
      if (format === "json") {
        const json = { ...report, diagnostics: toDiagnosticReport(report.diagnostics).diagnostics };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } else {
        process.stderr.write(diagnosticsText(report.diagnostics, ws.files, process.stderr));
        process.stdout.write(renderText(report));
      }
      return report.ok ? 0 : 1;
    }),
  );
}
