import type { Command } from "commander";
import type { AuditRecord } from "../plan/audit.js";
import { verifyAuditChain, readAuditLines, type AuditVerdict } from "../plan/audit-verify.js";
import { readPublishLocation } from "../plan/target/config.js";
import { openPublishTarget } from "../plan/target/open.js";
import { PublishError } from "../plan/target/errors.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { UserError } from "./errors.js";
import { action } from "./run.js";

interface AuditOptions {
  dir?: string;
  format?: string;
}

const FORMATS = ["text", "json", "markdown"];

/** `exp audit [verify]`: list the audit log of the publish target, or verify its hash chain. */
export function registerAudit(program: Command): void {
  program
    .command("audit")
    .description("show the hash-chained audit log of the publish target, or `exp audit verify` to check the chain")
    .argument("[subcommand]", "verify: check the hash chain; exit 1 naming the first broken record")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward with exp.yaml)")
    .option("--format <format>", "text | json | markdown", "text")
    .action(
      action(async (sub: string | undefined, opts: AuditOptions) => {
        const format = checkFormat(opts.format);
        if (sub !== undefined && sub !== "verify")
          throw new UserError(
            `unknown audit subcommand "${sub}"`,
            1,
            didYouMean(sub, ["verify"]) ?? "use `exp audit` or `exp audit verify`",
          );
        return withPublishErrors(async () => {
          const { root, config } = readPublishLocation(opts.dir ?? process.cwd());
          const target = openPublishTarget(config, root);
          const text = await target.auditText();
          if (sub === "verify") {
            const verdict = verifyAuditChain(text);
            const records = verdict.ok ? readAuditLines(text).flatMap((l) => (l.record ? [l.record] : [])) : [];
            const current = verdict.ok ? await target.current().catch(() => undefined) : undefined;
            return printVerdict(verdict, target.description, format, current?.version, records.at(-1)?.toVersion);
          }
          const records = readAuditLines(text).flatMap((l) => (l.record ? [l.record] : []));
          process.stdout.write(renderRecords(records, format));
          return 0;
        });
      }),
    );
}

export function checkFormat(format: string | undefined): string {
  const f = format ?? "text";
  if (!FORMATS.includes(f)) throw new UserError(`unknown format "${f}"`, 1, didYouMean(f, FORMATS) ?? "use text, json or markdown");
  return f;
}

/** Publish-state failures are user-facing: one line with the code, and the hint. */
export async function withPublishErrors(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PublishError) {
      const where = err.span ? `${err.span.file}:${err.span.line}:${err.span.column}: ` : "";
      const hint = [err.suggestion, err.hint].filter(Boolean).join("; ") || undefined;
      throw new UserError(`${where}${err.message} [${err.code}]`, 1, hint);
    }
    throw err;
  }
}

/**
 * A valid chain can still be one publish behind `current` (a publisher killed between the two
 * writes, or a change made outside exp): say so, without failing, since the next apply records it.
 */
function printVerdict(verdict: AuditVerdict, where: string, format: string, currentVersion?: number, lastRecorded?: number): number {
  const lagging = verdict.ok && currentVersion !== undefined && lastRecorded !== currentVersion;
  if (format === "json")
    process.stdout.write(
      `${JSON.stringify({ ...verdict, currentVersion: currentVersion ?? null, lastRecordedVersion: lastRecorded ?? null })}\n`,
    );
  else if (verdict.ok) {
    process.stdout.write(`audit log of ${where}: ${verdict.count} record(s), chain verified (head ${verdict.head.slice(0, 12)})\n`);
    if (lagging)
      process.stdout.write(
        `note: version ${currentVersion} is current but the last record names ${lastRecorded ?? "no version"}; the next apply or rollback records the difference\n`,
      );
  } else
    process.stdout.write(
      `audit log of ${where}: chain broken at line ${verdict.line}${verdict.seq !== undefined ? ` (seq ${verdict.seq})` : ""}: ${verdict.message}\n`,
    );
  return verdict.ok ? 0 : 1;
}

/** Text and markdown are rendered from the same rows as the JSON view, so the views cannot drift. */
export function renderRecords(records: AuditRecord[], format: string): string {
  if (format === "json") return `${JSON.stringify({ records }, null, 2)}\n`;
  if (records.length === 0) return format === "markdown" ? "_The audit log is empty._\n" : "the audit log is empty\n";
  const header = ["seq", "time", "actor", "from → to", "action", "summary"];
  const rows = records.map((r) => [
    String(r.seq),
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
