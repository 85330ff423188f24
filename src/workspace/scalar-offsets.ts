import { isScalar, Scalar, type Node } from "yaml";
import type { SourceFile } from "../diagnostics/source.js";

/**
 * Maps an index in a YAML scalar's value to an offset in the file text, so expression diagnostics
 * point at the right line and column even inside quoted or block scalars.
 */
export interface ScalarOrigin {
  file: SourceFile;
  toFileOffset(index: number): number;
}

export function scalarOrigin(file: SourceFile, node: Node | undefined): ScalarOrigin {
  if (!node || !isScalar(node) || !node.range || typeof node.value !== "string") {
    const base = node?.range?.[0] ?? 0;
    return { file, toFileOffset: (i) => Math.min(base + i, file.text.length) };
  }
  const offsets = alignScalar(file.text, node.range[0], node.range[1], node.value, node.type);
  const end = offsets.length ? offsets[offsets.length - 1]! + 1 : node.range[0];
  return {
    file,
    toFileOffset(i: number): number {
      if (i < 0) return offsets[0] ?? node.range![0];
      if (i < offsets.length) return offsets[i]!;
      return Math.min(end + (i - offsets.length), file.text.length);
    },
  };
}

/** For each value index, the offset of the raw character that produced it. */
export function alignScalar(text: string, start: number, end: number, value: string, type: Scalar["type"]): number[] {
  const out = new Array<number>(value.length);
  let j = start;
  if (type === Scalar.QUOTE_DOUBLE || type === Scalar.QUOTE_SINGLE) j++;
  if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
    // Skip the header line (`|`, `>-`, `|2` and any comment after it).
    const nl = text.indexOf("\n", j);
    j = nl < 0 || nl >= end ? end : nl + 1;
  }
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (j >= end) {
      out[i] = Math.max(start, end - 1);
      continue;
    }
    if (type === Scalar.QUOTE_DOUBLE && text[j] === "\\") {
      // Escaped line break: a continuation, it yields no character.
      if (text[j + 1] === "\n" || text[j + 1] === "\r") {
        j += 2;
        while (j < end && (text[j] === " " || text[j] === "\t" || text[j] === "\n" || text[j] === "\r")) j++;
        i--;
        continue;
      }
      out[i] = j;
      j += escapeLength(text[j + 1]);
      // Surrogate pairs from \U escapes take two value indices for one escape.
      if (c.charCodeAt(0) >= 0xd800 && c.charCodeAt(0) <= 0xdbff && i + 1 < value.length) out[++i] = out[i - 1]!;
      continue;
    }
    if (type === Scalar.QUOTE_SINGLE && text[j] === "'" && text[j + 1] === "'") {
      out[i] = j;
      j += 2;
      continue;
    }
    if (text[j] === c) {
      out[i] = j++;
      continue;
    }
    if ((c === " " || c === "\n") && /\s/.test(text[j]!)) {
      // A folded line break: the value's one space or newline stands for the raw break and indentation.
      out[i] = j;
      while (j < end && /\s/.test(text[j]!) && text[j] !== value[i + 1]) j++;
      continue;
    }
    // Anything else (indentation before a line): skip raw characters until the value's character.
    let k = j;
    while (k < end && text[k] !== c) k++;
    if (k < end) {
      out[i] = k;
      j = k + 1;
    } else out[i] = j;
  }
  return out;
}

function escapeLength(next: string | undefined): number {
  if (next === "x") return 4;
  if (next === "u") return 6;
  if (next === "U") return 10;
  return 2;
}
