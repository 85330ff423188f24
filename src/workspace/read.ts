import { readFileSync, statSync } from "node:fs";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CodeInfo } from "../diagnostics/codes.js";
import { SourceFile } from "../diagnostics/source.js";
import { WorkspaceCodes as C } from "./codes.js";

/** Files above this size are refused before reading, so a stray 10 MB file costs a stat, not a parse. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface ReadResult {
  /** Present whenever there is text to show in a snippet (even when decoding failed). */
  file?: SourceFile;
  diagnostics: Diagnostic[];
}

/** Reads one workspace file (synchronously: hundreds of small files read faster without the thread pool) as strict UTF-8 within the size limit. `rel` is the workspace-relative path. */
export async function readSourceFile(abs: string, rel: string): Promise<ReadResult> {
  let size: number;
  try {
    size = statSync(abs).size;
  } catch (err) {
    return {
      diagnostics: [
        fileDiag(
          C.unreadable,
          `cannot read "${rel}": ${(err as NodeJS.ErrnoException).code ?? "unknown error"}; check that it exists and is readable`,
          rel,
        ),
      ],
    };
  }
  if (size > MAX_FILE_BYTES) {
    return {
      diagnostics: [
        fileDiag(
          C.tooLarge,
          `"${rel}" is ${(size / 1048576).toFixed(1)} MB, over the 1 MB limit for workspace files; split it or remove it`,
          rel,
        ),
      ],
    };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (err) {
    return {
      diagnostics: [
        fileDiag(
          C.unreadable,
          `cannot read "${rel}": ${(err as NodeJS.ErrnoException).code ?? "unknown error"}; check that it is a readable file`,
          rel,
        ),
      ],
    };
  }
  return decodeSource(bytes, rel);
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

function fileDiag(info: CodeInfo, message: string, rel: string): Diagnostic {
  // No text to point into: line 1, column 1 of the file.
  return diagnostic(info, message, { span: { file: rel, line: 1, column: 1, endLine: 1, endColumn: 1, offset: 0, endOffset: 0 } });
}
