import type { Command } from "commander";
import { resolve } from "node:path";
import { forgetUnits } from "../app/forget.js";
import { action } from "./run.js";
import { loadWorkspaceOrExit, parseFormat, withWorkspaceOptions } from "./shared.js";

export function registerForget(program: Command): void {
  withWorkspaceOptions(
    program
      .command("forget")
      .description("delete units' exposures and events from the server's data dir and DuckDB warehouses, and record it (docs/privacy.md)")
      .argument("<unit...>", "unit ids, as the application sends them")
      .option("--data-dir <dir>", "the data dir of exp serve", ".exp/server")
      .option(
        "--connection <name...>",
        "DuckDB connections to delete from (default: every duckdb connection with a path whose file exists)",
      )
      .option("--include-current", "also rewrite the newest segment of each kind (only when no server is writing to it)"),
  ).action(
    action(
      async (
        units: string[],
        opts: { dir?: string; format?: string; dataDir: string; connection?: string[]; includeCurrent?: boolean },
      ) => {
        const format = parseFormat(opts.format);
        const ws = await loadWorkspaceOrExit(opts);
        const dataDir = resolve(ws.root, opts.dataDir);
        const r = await forgetUnits(ws, { units, dataDir, connections: opts.connection, includeCurrent: opts.includeCurrent });
        if (format === "json") {
          process.stdout.write(`${JSON.stringify({ units: r.digests, dataDir: r.dataDir, warehouses: r.warehouses, audit: r.audit })}\n`);
          return 0;
        }
        for (const kind of ["exposures", "events", "identities"] as const) {
          const k = r.dataDir[kind];
          if (kind === "identities" && k.parquetRows + k.segmentLines + k.quarantinedLines === 0) continue;
          process.stdout.write(
            `removed ${kind}: ${k.parquetRows} Parquet row(s), ${k.segmentLines} segment line(s), ${k.quarantinedLines} quarantined line(s) in ${dataDir}\n`,
          );
        }
        for (const w of r.warehouses)
          process.stdout.write(
            `removed from connection "${w.connection}": ${w.exposures} exposure(s), ${w.events} event(s)${w.identities > 0 ? `, ${w.identities} identity row(s)` : ""}\n`,
          );
        process.stdout.write(
          `forgot ${r.digests.length} unit(s); compaction keeps them out from now on; recorded in ${r.audit} (by digest, not by id)\n`,
        );
        return 0;
      },
    ),
  );
}
