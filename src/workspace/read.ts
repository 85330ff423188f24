import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CodeInfo } from "../diagnostics/codes.js";
import { SourceFile } from "../diagnostics/source.js";
import { WorkspaceCodes as C } from "./codes.js";
import { resolveInside, type WorkspaceRoot } from "./containment.js";

/** Files above this size are refused: before reading when their size says so, and while reading when they keep growing. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface ReadResult {
  /** Present whenever there is text to show in a snippet (even when decoding failed). */
  file?: SourceFile;
  diagnostics: Diagnostic[];
}

// O_NOFOLLOW: a file swapped for a link after it was checked is not followed. O_NONBLOCK: opening a FIFO
// does not wait for a writer. Neither exists on Windows, where the checks before opening stand alone.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads one workspace file (synchronously: hundreds of small files read faster without the thread pool)
 * as strict UTF-8 within the size limit. `rel` is the workspace-relative path. Only a regular file that is
 * inside the workspace, or a link that resolves to a workspace YAML file, is read at all (docs/workspace.md
 * "Files"); anything else is a diagnostic that carries no byte of it.
 */
export async function readSourceFile(root: WorkspaceRoot, rel: string): Promise<ReadResult> {
  const where = resolveInside(root, rel);
  if (!where.ok) return { diagnostics: [fileDiag(where.code, where.message, rel)] };
  let fd: number;
  try {
    fd = openSync(where.path, OPEN_FLAGS);
  } catch (err) {
    return { diagnostics: [unreadable(rel, err)] };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { diagnostics: [fileDiag(C.notRegularFile, notRegularMessage(rel, st), rel)] };
    if (st.size > MAX_FILE_BYTES) return { diagnostics: [fileDiag(C.tooLarge, tooLargeMessage(rel, st.size), rel)] };
    const bytes = readCapped(fd);
    if (!bytes) return { diagnostics: [fileDiag(C.tooLarge, tooLargeMessage(rel), rel)] };
    return decodeSource(bytes, rel);
  } catch (err) {
    return { diagnostics: [unreadable(rel, err)] };
  } finally {
    closeSync(fd);
  }
}

/** The bytes behind `fd`, or undefined as soon as more than `max` arrive (a file that grows while it is read, a device). */
export function readCapped(fd: number, max: number = MAX_FILE_BYTES): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    total += n;
    if (total > max) return undefined;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
}

function tooLargeMessage(rel: string, size?: number): string {
  const what = size === undefined ? "is larger than 1 MB" : `is ${(size / 1048576).toFixed(1)} MB, over the 1 MB limit for workspace files`;
  return `"${rel}" ${what}; split it or remove it`;
}

function notRegularMessage(rel: string, st: Stats): string {
  const kind = st.isFIFO()
    ? "a named pipe"
    : st.isCharacterDevice() || st.isBlockDevice()
      ? "a device"
      : st.isSocket()
        ? "a socket"
        : st.isDirectory()
          ? "a folder"
          : "not a regular file";
  return `"${rel}" is ${kind}, not a regular file, and is not read; replace it with a YAML file`;
}

function unreadable(rel: string, err: unknown): Diagnostic {
  const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
  return fileDiag(C.unreadable, `cannot read "${rel}": ${code}; check that it is a readable file`, rel);
}

/** Decodes bytes as strict UTF-8; on failure reports the first bad byte and keeps a lossy text for the snippet. */
export function decodeSource(bytes: Uint8Array, rel: string): ReadResult {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { file: new SourceFile(rel, text), diagnostics: [] };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const lossy = new TextDecoder("utf-8").decode(bytes);
    const file = new SourceFile(rel, lossy);
    const before = new TextDecoder("utf-8").decode(bytes.subarray(0, bad)).length;
    const hex = bytes[bad]?.toString(16).padStart(2, "0") ?? "??";
    return {
      file,
      diagnostics: [
        diagnostic(C.notUtf8, `"${rel}" is not valid UTF-8: byte 0x${hex} at byte offset ${bad}; save the file as UTF-8`, {
          span: file.span(before, before + 1),
        }),
      ],
    };
  }
}

/** Byte offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (n & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}

/** A diagnostic about a whole file, with no text to point into: line 1, column 1. */
export function fileDiag(info: CodeInfo, message: string, rel: string): Diagnostic {
  return diagnostic(info, message, { span: { file: rel, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 } });
}
