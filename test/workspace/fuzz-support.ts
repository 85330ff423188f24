/** Shared by the in-process fuzz test and the CLI tests: the example workspace copy and the report shape check. */
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO = new URL("../../", import.meta.url).pathname;

/** A copy of the example workspace at the repo root. */
export function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-fuzz-"));
  for (const f of ["exp.yaml", "layers.yaml", "metrics", "experiments", "flags", "segments"])
    cpSync(join(REPO, f), join(dir, f), { recursive: true });
  return dir;
}

export function workspaceFiles(dir: string): string[] {
  const out = ["exp.yaml", "layers.yaml"];
  for (const folder of ["metrics", "experiments", "flags", "segments"])
    for (const f of readdirSync(join(dir, folder)).sort()) out.push(`${folder}/${f}`);
  return out;
}

/** Every diagnostic is well formed and points inside its file. */
export function assertWellFormed(stdout: string, exitCode: number, dir: string, context: string): void {
  const report = JSON.parse(stdout) as { ok: unknown; diagnostics: Record<string, unknown>[] };
  assert.equal(typeof report.ok, "boolean", context);
  assert.ok(Array.isArray(report.diagnostics), context);
  assert.deepEqual(Object.keys(report).sort(), ["diagnostics", "ok"], context);
  assert.equal(exitCode, report.ok ? 0 : 1, context);
  assert.equal(report.ok, !report.diagnostics.some((d) => d.severity === "error"), context);
  for (const d of report.diagnostics) {
    const where = `${context}: ${JSON.stringify(d)}`;
    assert.match(String(d.code), /^EXP\d{4}$/, where);
    assert.ok(["error", "warning", "info"].includes(String(d.severity)), where);
    assert.ok(typeof d.message === "string" && d.message.length > 0 && !d.message.includes("\n"), where);
    assert.equal(typeof d.file, "string", where);
    const text = readFileSync(join(dir, String(d.file))).toString("utf8");
    const lines = text.split("\n");
    const line = d.line as number;
    const col = d.column as number;
    assert.ok(Number.isInteger(line) && line >= 1 && line <= lines.length, `${where} line outside the file (${lines.length} lines)`);
    assert.ok(Number.isInteger(col) && col >= 1 && col <= lines[line - 1]!.length + 1, `${where} column outside the line`);
    assert.ok(
      (d.endLine as number) > line || ((d.endLine as number) === line && (d.endColumn as number) >= col),
      `${where} end before start`,
    );
  }
}
