import type { Command } from "commander";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { compactSegments, parquetDir } from "../runtime/server/compaction.js";
import { quarantineDir } from "../runtime/server/parquet-layout.js";
import { ExpError } from "../diagnostics/errors.js";
import { APP_CODES } from "../app/codes.js";
import { currentTime } from "./clock.js";
import { action } from "./run.js";
import { loadWorkspaceOrExit, parseFormat, withWorkspaceOptions } from "./shared.js";

export function registerCompact(program: Command): void {
  withWorkspaceOptions(
    program
      .command("compact")
      .description("compact the server's closed NDJSON segments into Parquet that `exp analyze` reads through a files: connection")
      .option("--data-dir <dir>", "the data dir of exp serve", ".exp/server")
      .option("--include-current", "also compact the newest segment of each kind (only when no server is writing to it)"),
  ).action(
    action(async (opts: { dir?: string; format?: string; dataDir: string; includeCurrent?: boolean }) => {
      const format = parseFormat(opts.format);
      const ws = await loadWorkspaceOrExit(opts);
      const dataDir = resolve(ws.root, opts.dataDir);
      if (!existsSync(dataDir))
        throw ExpError.of(APP_CODES.dataDirMissing, `the data dir "${dataDir}" does not exist`, {
          suggestion: "pass the --data-dir that exp serve writes to",
        });
      const layout = ws.settings.warehouse;
      const retention = ws.settings.privacy.retention;
      const r = await compactSegments(
        dataDir,
        layout,
        opts.includeCurrent
          ? { exposures: Number.MAX_SAFE_INTEGER, events: Number.MAX_SAFE_INTEGER, identities: Number.MAX_SAFE_INTEGER }
          : {},
        { retentionMs: retention ? retention.seconds * 1000 : undefined, now: () => currentTime().getTime() },
      );
      if (format === "json") process.stdout.write(`${JSON.stringify({ dataDir, ...r })}\n`);
      else
        for (const [kind, what] of [
          ["exposures", "exposure"],
          ["events", "event"],
          ["identities", "identity"],
        ] as const) {
          const k = r[kind];
          // Most servers take no identify calls: their report stays as it was.
          if (kind === "identities" && k.segments === 0 && k.expired === 0) continue;
          const extra = [
            k.duplicates ? `${k.duplicates} duplicate(s) of ids already in Parquet left out` : "",
            k.quarantined ? `${k.quarantined} line(s) quarantined in ${quarantineDir(dataDir, kind)}` : "",
            k.forgotten ? `${k.forgotten} line(s) of forgotten units left out` : "",
            retention ? `${k.expired} row(s) older than the retention (${retention.text}) purged` : "",
          ].filter(Boolean);
          process.stdout.write(
            `compacted ${k.segments} ${what} segment(s) (${k.records} records) into ${parquetDir(dataDir, layout, kind)}${extra.length ? `; ${extra.join("; ")}` : ""}\n`,
          );
        }
      return 0;
    }),
  );
}
