import type { Command } from "commander";
import { reportableExperiments, writeReports, type WrittenReport } from "../app/write-reports.js";
import { painterFor, type Painter } from "../diagnostics/style.js";
import { renderReportText } from "../report/text.js";
import { createProgress } from "../ui/progress.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import { badOption, loadWorkspaceOrExit, parseFormat, valueOrFail, withWorkspaceOptions, type OutputFormat } from "./shared.js";

export type { WrittenReport };

export function registerReport(program: Command): void {
  withWorkspaceOptions(
    program
      .command("report [experiment]")
      .description("write reports/<experiment>/<date>.md with SVG charts from a fresh analysis; --commit commits them")
      .option("--all", "report every running, paused or stopped experiment")
      .option("--commit", "commit the report files (one commit; none when nothing changed)")
      .option("--as-of <iso>", "analyse the data as it was at this time (the report is dated by it)")
      .option("--connection <name>", "warehouse connection (default: warehouse.default)")
      .option("--points <n>", "analyses over time for the cumulative charts", "7"),
  ).action(
    action(
      async (
        key: string | undefined,
        opts: { dir?: string; format?: string; all?: boolean; commit?: boolean; asOf?: string; connection?: string; points: string },
        cmd: Command,
      ) => {
        const format = parseFormat(opts.format);
        // Piped without an explicit --format, stdout stays the list of written files, for scripts.
        const view = format !== "text" || cmd.getOptionValueSource("format") === "cli" || process.stdout.isTTY ? format : "paths";
        const ws = await loadWorkspaceOrExit(opts);
        const experiments = reportableExperiments(ws, key, Boolean(opts.all));
        const points = Number(opts.points);
        if (!Number.isInteger(points) || points < 1 || points > 60)
          throw badOption(`--points must be a whole number from 1 to 60, not "${opts.points}"`);
        if (opts.asOf !== undefined && Number.isNaN(Date.parse(opts.asOf)))
          throw badOption(`--as-of must be an ISO-8601 time, not "${opts.asOf}"`);
        const progress = createProgress();
        try {
          const run = await writeReports(ws, experiments, {
            asOf: opts.asOf ?? currentTime().toISOString(),
            connection: opts.connection,
            points,
            commit: Boolean(opts.commit),
            progress,
          });
          const written = valueOrFail(run, ws.files);
          if (written.commitNote) process.stderr.write(`${written.commitNote}\n`);
          progress.close();
          process.stdout.write(renderWritten(written.reports, view, painterFor(process.stdout)));
          return 0;
        } finally {
          progress.close();
        }
      },
    ),
  );
}

/** What `exp report` prints once the files are written, by --format. */
export function renderWritten(written: WrittenReport[], view: OutputFormat | "paths", paint: Painter): string {
  switch (view) {
    case "paths":
      return written.map((w) => `${w.markdownPath}\n`).join("");
    case "json":
      return `${JSON.stringify({ reports: written.map((w) => ({ experiment: w.experiment, markdown: w.markdownPath, files: w.files })) }, null, 2)}\n`;
    case "markdown":
      return written.map((w) => w.markdown).join("\n---\n\n");
    case "text":
      return written
        .map(
          (w) => `${renderReportText(w.input, paint)}\n${paint("muted", `wrote ${w.markdownPath} and ${w.files.length - 1} more files`)}\n`,
        )
        .join("\n");
  }
}
