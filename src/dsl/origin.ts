import type { Span } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";

/** Where the expression text sits in a workspace file: toFileOffset maps an index in `text` to an offset in file.text (expressions are embedded in YAML scalars). */
export interface ExprOrigin {
  file: SourceFile;
  toFileOffset(index: number): number;
}

/** Converts [start, end) indices in the expression text into file spans. */
export class SpanMapper {
  constructor(
    readonly origin: ExprOrigin,
    readonly textLength: number,
  ) {}

  span(start: number, end: number): Span {
    const s = this.clamp(start);
    const e = Math.max(s, this.clamp(end));
    const from = this.origin.toFileOffset(s);
    return this.origin.file.span(from, e > s ? this.endOffset(e) : from);
  }

  /** A zero-width span just past the last character, for "end of input" errors. */
  end(): Span {
    const at = this.textLength === 0 ? this.origin.toFileOffset(0) : this.endOffset(this.textLength);
    return this.origin.file.span(at, at);
  }

  /**
   * The file offset just past character e-1. The start of character e is right when the mapping knows it
   * (a character may take several file characters, like an escaped quote); past the last character we fall back.
   */
  private endOffset(e: number): number {
    const afterLast = this.origin.toFileOffset(e - 1) + 1;
    const next = this.origin.toFileOffset(e);
    return Number.isFinite(next) && next >= afterLast ? next : afterLast;
  }

  private clamp(i: number): number {
    // Tokens inserted by error recovery have NaN offsets; they never reach here through a valid tree,
    // but a guard keeps a bad offset from producing a NaN span.
    if (!Number.isFinite(i)) return this.textLength;
    return Math.max(0, Math.min(i, this.textLength));
  }
}

/** A span covering two spans of the same file. */
export function joinSpans(a: Span, b: Span, file: SourceFile): Span {
  return file.span(Math.min(a.offset, b.offset), Math.max(a.endOffset, b.endOffset));
}
