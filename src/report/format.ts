import type { MetricDisplay } from "./model.js";

/** Number formatting for reports: fixed, locale-free, so output is byte-stable across machines. */

export function fmtNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return x.toExponential(2);
  return trimZeros(x.toFixed(digits));
}

export function fmtPercent(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return "—";
  const s = (x * 100).toFixed(digits);
  return `${s === "-0.00" ? "0.00" : s}%`;
}

export function fmtSignedPercent(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return "—";
  const s = fmtPercent(x, digits);
  return x > 0 && !s.startsWith("0.00") ? `+${s}` : s;
}

export function fmtP(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return "—";
  if (p < 0.0001) return "<0.0001";
  return p.toFixed(4);
}

export function fmtMetricValue(x: number, display: MetricDisplay | undefined): string {
  if (!Number.isFinite(x)) return "—";
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
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}
