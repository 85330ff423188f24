import type { Command } from "commander";
import { readAuditLog, verifyAuditLog } from "../app/audit-log.js";
import { ExpError } from "../diagnostics/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import type { AuditRecord } from "../plan/audit.js";
import type { AuditVerdict } from "../plan/audit-verify.js";
import { CLI_CODES } from "./codes.js";
import { action } from "./run.js";
import { parseFormat, withEnvironmentOption } from "./shared.js";

interface AuditOptions {
  dir?: string;
  format?: string;
  env?: string;
}

/** `exp audit [verify]`: list the audit log of the publish target, or verify its hash chain. */
export function registerAudit(program: Command): void {
  withEnvironmentOption(program.command("audit"))
    .description("show the hash-chained audit log of the publish target, or `exp audit verify` to check the chain")
    .argument("[subcommand]", "verify: check the hash chain; exit 1 naming the first broken record")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward with exp.yaml)")
    .option("--format <format>", "text | json | markdown", "text")
    .action(
      action(async (sub: string | undefined, opts: AuditOptions) => {
        const format = parseFormat(opts.format);
        if (sub !== undefined && sub !== "verify")
          throw ExpError.of(CLI_CODES.unknownName, `unknown audit subcommand "${sub}"`, {
            suggestion: didYouMean(sub, ["verify"]) ?? "use `exp audit` or `exp audit verify`",
          });
        const start = opts.dir ?? process.cwd();
        if (sub === "verify") {
          const check = await verifyAuditLog(start, opts.env);
          return printVerdict(check.verdict, check.target, format, check.currentVersion, check.lastRecordedVersion);
        }
        const { records } = await readAuditLog(start, opts.env);
        process.stdout.write(renderRecords(records, format));
        return 0;
      }),
    );
}

/**
 * A valid chain can still be one publish behind `current` (a publisher killed between the two
 * writes, or a change made outside exp): say so, without failing, since the next apply records it.
 */
function printVerdict(
  verdict: AuditVerdict & { anchored?: boolean },
  where: string,
  format: string,
  currentVersion?: number,
  lastRecorded?: number,
): number {
  const lagging = verdict.ok && currentVersion !== undefined && lastRecorded !== currentVersion;
  if (format === "json")
    process.stdout.write(
      `${JSON.stringify({ ...verdict, currentVersion: currentVersion ?? null, lastRecordedVersion: lastRecorded ?? null })}\n`,
    );
  else if (verdict.ok) {
    process.stdout.write(
      `audit log of ${where}: ${verdict.count} record(s), chain verified (head ${verdict.head.slice(0, 12)}${verdict.anchored ? ", anchored by the current pointer" : ""})\n`,
    );
    if (verdict.unanchored)
      process.stdout.write(
        `note: the last record (seq ${verdict.count}) is not anchored yet: an append stopped before moving the anchor; the next apply or rollback anchors it\n`,
      );
    if (lagging)
      process.stdout.write(
        `note: version ${currentVersion} is current but the last record names ${lastRecorded ?? "no version"}; the next apply or rollback records the difference\n`,
      );
  } else
    process.stdout.write(
      `audit log of ${where}: ${verdict.reason === "version" ? "a stored version fails verification" : "chain broken"} at line ${verdict.line}${verdict.seq !== undefined ? ` (seq ${verdict.seq})` : ""}: ${verdict.message}\n`,
    );
  return verdict.ok ? 0 : 1;
}

/** Text and markdown are rendered from the same rows as the JSON view, so the views cannot drift. */
export function renderRecords(records: AuditRecord[], format: string): string {
  if (format === "json") return `${JSON.stringify({ records }, null, 2)}\n`;
  if (records.length === 0) return format === "markdown" ? "_The audit log is empty._\n" : "the audit log is empty\n";
  // The environment column appears once a record names one (exp.yaml `environments:`).
  const withEnvironment = records.some((r) => r.environment !== undefined);
  const header = ["seq", ...(withEnvironment ? ["environment"] : []), "time", "actor", "from → to", "action", "summary"];
  const rows = records.map((r) => [
    String(r.seq),
    ...(withEnvironment ? [r.environment ?? "–"] : []),
    r.ts.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    r.actor,
    `${r.fromVersion ?? "–"} → ${r.toVersion}`,
    r.action,
    r.summary,
  ]);
  if (format === "markdown") {
    const esc = (s: string) => s.replace(/\|/g, "\\|");
    return (
      [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`)].join(
        "\n",
      ) + "\n"
    );
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
