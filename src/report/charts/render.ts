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
  axis: { labelColor: INK, titleColor: INK, domainColor: INK, tickColor: INK, gridColor: INK, gridOpacity: 0.25, labelFontSize: 11, titleFontSize: 12 },
  legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12 },
  view: { stroke: null },
  range: { category: SERIES },
} as const;

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const compiled = vl.compile({ ...spec, config: theme } as unknown as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return `${svg.trim()}\n`;
}
