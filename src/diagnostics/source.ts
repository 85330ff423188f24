import type { Span } from "./diagnostic.js";

/** A loaded text file with fast offset → line/column conversion. */
export class SourceFile {
  readonly lineStarts: number[];
  constructor(
    /** Path relative to the workspace root, forward slashes. */
    readonly path: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** 1-based line and column (in UTF-16 code units) of a 0-based offset. */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo]! + 1 };
  }

  span(offset: number, endOffset: number): Span {
    const a = this.position(offset);
    const b = this.position(Math.max(offset, endOffset));
    return {
      file: this.path,
      line: a.line,
      column: a.column,
      endLine: b.line,
      endColumn: b.column,
      offset,
      endOffset: Math.max(offset, endOffset),
    };
  }

  /** The text of 1-based line n, without its line break. */
  lineText(n: number): string {
    const start = this.lineStarts[n - 1];
    if (start === undefined) return "";
    const next = this.lineStarts[n];
    const end = next === undefined ? this.text.length : next - 1;
    return this.text.slice(start, end).replace(/\r$/, "");
  }
}
