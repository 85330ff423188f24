import type { MetricDisplay, Num } from "./model.js";

/**
 * Number formatting for reports: fixed, locale-free, so output is byte-stable across machines.
 * Every formatter takes the engine's nullable numbers and prints "—" for a missing one, so no
 * "NaN" or "null" reaches a reader.
 */

export const MISSING = "—";

function known(x: Num | undefined): x is number {
  return typeof x === "number" && Number.isFinite(x);
}

export function fmtNumber(x: Num | undefined, digits = 4): string {
  if (!known(x)) return MISSING;
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(2);
  return trimZeros(x.toFixed(digits));
}

export function fmtFixed(x: Num | undefined, digits: number): string {
  return known(x) ? x.toFixed(digits) : MISSING;
}

export function fmtPercent(x: Num | undefined, digits = 2): string {
  if (!known(x)) return MISSING;
  const s = (x * 100).toFixed(digits);
  return `${/^-0\.?0*$/.test(s) ? s.slice(1) : s}%`;
}

export function fmtSignedPercent(x: Num | undefined, digits = 2): string {
  if (!known(x)) return MISSING;
  const s = fmtPercent(x, digits);
  return x > 0 && !/^0\.?0*%$/.test(s) ? `+${s}` : s;
}

/** "+1.00% to +11.00%", or "—" when either end is missing. */
export function fmtInterval(ci: readonly [Num, Num]): string {
  return known(ci[0]) && known(ci[1]) ? `${fmtSignedPercent(ci[0])} to ${fmtSignedPercent(ci[1])}` : MISSING;
}

export function fmtP(p: Num | undefined): string {
  if (!known(p)) return MISSING;
  if (p < 0.0001) return "<0.0001";
  return p.toFixed(4);
}

/** "p = 0.0043", or "p < 0.0001" for the tiny ones: never "p = 0.0000", never "p = <0.0001". */
export function fmtPEquals(p: Num | undefined, name = "p"): string {
  if (!known(p)) return `${name} ${MISSING}`;
  return p < 0.0001 ? `${name} < 0.0001` : `${name} = ${p.toFixed(4)}`;
}

export function fmtMetricValue(x: Num | undefined, display: MetricDisplay | undefined): string {
  if (!known(x)) return MISSING;
  switch (display?.format) {
    case "percent":
      return fmtPercent(x);
    case "currency":
      return x.toFixed(2);
    case "duration":
      return `${fmtNumber(x, 1)} ms`;
    default:
      return fmtNumber(x);
  }
}

export function fmtInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** Free text inside a markdown table cell: a pipe would end the cell and a newline the row. */
export function tableCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
