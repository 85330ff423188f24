import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const FIXTURES = new URL("../fixtures/validate/", import.meta.url).pathname;

export interface CaseMeta {
  note?: string;
  /** Base files to remove. */
  delete?: string[];
  /** A file made at run time: raw bytes (hex) or a size in bytes of filler. */
  generate?: { path: string; bytes_hex?: string; size?: number };
  /** Symbolic links to make: link path → target, as written into the link (absolute, or relative to the link's folder). */
  symlinks?: Record<string, string>;
  /** Named pipes to make (mkfifo). */
  fifos?: string[];
}

export interface ExpectedDiagnostic {
  code: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

export function caseNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((n) => !n.startsWith("_"))
    .sort();
}

/** The minimal base workspace overlaid with the case's files, in a fresh temp dir. */
export function materializeCase(name: string): string {
  const src = join(FIXTURES, name);
  const dir = mkdtempSync(join(tmpdir(), `exp-case-${name}-`));
  cpSync(join(FIXTURES, "_base"), dir, { recursive: true });
  const meta = JSON.parse(readFileSync(join(src, "case.json"), "utf8")) as CaseMeta;
  for (const f of walk(src)) {
    if (f === "case.json" || f === "expected.json") continue;
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(src, f), join(dir, f));
  }
  for (const f of meta.delete ?? []) rmSync(join(dir, f), { force: true });
  if (meta.generate) {
    const g = meta.generate;
    const bytes = g.bytes_hex !== undefined ? Buffer.from(g.bytes_hex, "hex") : Buffer.alloc(g.size ?? 0, "# filler line of a huge file\n");
    mkdirSync(dirname(join(dir, g.path)), { recursive: true });
    writeFileSync(join(dir, g.path), bytes);
  }
  for (const [link, target] of Object.entries(meta.symlinks ?? {})) {
    rmSync(join(dir, link), { force: true });
    mkdirSync(dirname(join(dir, link)), { recursive: true });
    symlinkSync(target, join(dir, link));
  }
  for (const fifo of meta.fifos ?? []) execFileSync("mkfifo", [join(dir, fifo)]);
  return dir;
}

/** A workspace from an inline file tree, for tests that need one or two files changed. */
export function workspaceFromTree(files: Record<string, string | Uint8Array>, base: boolean = true): string {
  const dir = mkdtempSync(join(tmpdir(), "exp-ws-"));
  if (base) cpSync(join(FIXTURES, "_base"), dir, { recursive: true });
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return dir;
}

function walk(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}
