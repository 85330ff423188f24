import * as vega from "vega";
import * as vl from "vega-lite";

/**
 * Renders a Vega-Lite spec to an SVG string, headless (no canvas, no browser).
 * The theme keeps the background transparent and uses GitHub's neutral grey for text and axes,
 * which reads on both its light and dark themes.
 */
const INK = "#8c959f";
export const SERIES = ["#2f81f7", "#e16f24", "#2da44e", "#bf3989", "#8250df", "#cf222e"];

const theme = {
  background: null,
  font: "Helvetica, Arial, sans-serif",
  title: { color: INK, fontSize: 14, anchor: "start", offset: 12 },
  axis: {
    labelColor: INK,
    titleColor: INK,
    domainColor: INK,
    tickColor: INK,
    gridColor: INK,
    gridOpacity: 0.25,
    labelFontSize: 11,
    titleFontSize: 12,
  },
  legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
  range: { category: SERIES },
} as const;

/**
 * A chart value cut to 10 significant digits. Warehouses sum floating-point numbers in parallel, in
 * no fixed order, so the same data can differ in its last bits from one run to the next; drawn at
 * full precision that noise would change the SVG's coordinates and break byte-identical reports.
 */
export function steady(x: number): number {
  const r = Number(x.toPrecision(10));
  return r === 0 ? 0 : r;
}

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vl.compile({ ...spec, config: theme } as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return `${renumberClips(svg.trim())}\n`;
}

/**
 * Vega numbers clip paths from a process-wide counter, so the same chart drawn twice would differ
 * in its ids; numbering them by first appearance keeps regeneration byte-identical.
 */
function renumberClips(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bclip(\d+)\b/g, (whole: string) => {
    if (!ids.has(whole)) ids.set(whole, `clip${ids.size + 1}`);
    return ids.get(whole)!;
  });
}
