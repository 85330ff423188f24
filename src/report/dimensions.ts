import type { DimensionJson } from "../stats/dimensions.js";
import { fmtInt, fmtInterval, fmtNumber, fmtP, fmtPercent, fmtSignedPercent, tableCell } from "./format.js";
import type { ReportAnalysis } from "./model.js";

/** One slice comparison, formatted for the text and markdown renderings. */
export interface SliceRow {
  dimension: string;
  slice: string;
  units: string;
  srm: string;
  metric: string;
  variant: string;
  lift: string;
  ci: string;
  p: string;
  significant: boolean;
}

/** One heterogeneity test, formatted: Cochran's Q, its p-value and I². */
export interface HeterogeneityRow {
  dimension: string;
  metric: string;
  variant: string;
  slices: number;
  q: string;
  p: string;
  i2: string;
  significant: boolean;
}

/** The chart file of the dimensions section, beside the report of `date`. */
export function slicesChartName(date: string): string {
  return `${date}-slices.svg`;
}

/** "(other): tv, car", or "ios + (other): tv" for small values that joined the smallest slice. */
function sliceName(s: DimensionJson["slices"][number]): string {
  const small = (s.merged ?? []).filter((v) => !s.slice.startsWith(`${v} + `));
  return small.length ? `${s.slice}: ${small.join(", ")}` : s.slice;
}

export function sliceRows(analysis: Pick<ReportAnalysis, "dimensions">): SliceRow[] {
  return (analysis.dimensions ?? []).flatMap((d) =>
    d.slices.flatMap((s) =>
      s.metrics.flatMap((m) =>
        m.comparisons.map((c) => ({
          dimension: d.dimension,
          slice: sliceName(s),
          units: fmtInt(Object.values(s.units).reduce((a, b) => a + b, 0)),
          srm: s.srm.ok ? "ok" : `mismatch (p ${fmtP(s.srm.p_value)})`,
          metric: m.metric,
          variant: c.variant,
          lift: fmtSignedPercent(c.rel_lift),
          ci: fmtInterval(c.rel_ci),
          p: fmtP(c.p_value_adjusted),
          significant: c.significant,
        })),
      ),
    ),
  );
}

export function heterogeneityRows(analysis: Pick<ReportAnalysis, "dimensions">): HeterogeneityRow[] {
  return (analysis.dimensions ?? []).flatMap((d) =>
    d.heterogeneity.map((h) => ({
      dimension: d.dimension,
      metric: h.metric,
      variant: h.variant,
      slices: h.slices,
      q: fmtNumber(h.q, 2),
      p: fmtP(h.p_value),
      i2: fmtPercent(h.i2, 0),
      significant: h.significant,
    })),
  );
}

/**
 * The markdown section: the heterogeneity tests first (does the effect differ between slices?),
 * then the chart and every slice's effects; nothing without dimensions.
 */
export function dimensionsMarkdown(analysis: Pick<ReportAnalysis, "dimensions">, chart?: string): string {
  const dims = analysis.dimensions ?? [];
  if (dims.length === 0) return "";
  const minimum = [...new Set(dims.map((d) => d.min_units))].map(fmtInt).join(", ");
  const out = [
    "### Dimensions",
    "",
    `Each slice is the value of the attribute at the unit's first exposure, analysed like the whole experiment; p-values are corrected over every slice, metric and treatment of a dimension. Slices under ${minimum} units are merged into "(other)". Cochran's Q tests whether the absolute effect differs between slices (I²: the share of the variation beyond chance).`,
    "",
    "| dimension | metric | variant | slices | Q | p-value | I² | |",
    "|---|---|---|---:|---:|---:|---:|---|",
    ...heterogeneityRows(analysis).map(
      (h) =>
        `| \`${h.dimension}\` | \`${h.metric}\` | ${tableCell(h.variant)} | ${h.slices} | ${h.q} | ${h.p} | ${h.i2} | ${h.significant ? "⚠️ differs between slices" : ""} |`,
    ),
    "",
  ];
  if (chart) out.push(`![Relative lift per slice](${chart})`, "");
  out.push(
    "| dimension | slice | units | SRM | metric | variant | lift | CI | p-value (adj.) | |",
    "|---|---|---:|---|---|---|---:|---:|---:|---|",
    ...sliceRows(analysis).map(
      (r) =>
        `| \`${r.dimension}\` | ${tableCell(r.slice)} | ${r.units} | ${r.srm === "ok" ? "ok" : `🔎 ${r.srm}`} | \`${r.metric}\` | ${tableCell(r.variant)} | ${r.lift} | ${r.ci} | ${r.p} | ${r.significant ? "✅ significant" : ""} |`,
    ),
  );
  return out.join("\n");
}
