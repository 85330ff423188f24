// Inline SVG charts for the live view: drawn with DOM calls, no library. Each variant has a colour
// and a dash pattern, so the lines differ without colour too; the table beside a chart holds its numbers.

const SVG = "http://www.w3.org/2000/svg";
/** Line colours, each at least 3:1 against white. */
export const VARIANT_COLOURS = ["#1f4fd1", "#b35900", "#6f2da8", "#0a7a5a", "#a1131f", "#4a5360"];
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A small swatch of a variant's line, for legends. */
export function swatch(index) {
  const svg = el("svg", { width: 28, height: 10, "aria-hidden": "true", focusable: "false" });
  svg.append(line(index, 0, 5, 28, 5));
  return svg;
}

function line(index, x1, y1, x2, y2) {
  const attrs = { x1, y1, x2, y2, stroke: VARIANT_COLOURS[index % VARIANT_COLOURS.length], "stroke-width": 2.5 };
  const dash = DASHES[index % DASHES.length];
  if (dash) attrs["stroke-dasharray"] = dash;
  return el("line", attrs);
}

/**
 * Units exposed per variant over time. `series` is [{at, units: {variant: n}}], oldest first.
 * Returns an <svg role="img"> with a title and a description that says the latest counts.
 */
export function exposureChart(id, experiment, variants, series) {
  const width = 640;
  const height = 200;
  const pad = { left: 56, right: 16, top: 12, bottom: 34 };
  const svg = el("svg", {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    class: "chart",
    role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`,
  });
  const last = series[series.length - 1];
  svg.append(el("title", { id: `${id}-title` }, `Units exposed over time in ${experiment}`));
  svg.append(
    el(
      "desc",
      { id: `${id}-desc` },
      last ? `${series.length} samples; latest: ${variants.map((v) => `${v} ${last.units[v] ?? 0}`).join(", ")}.` : "No samples yet.",
    ),
  );
  const max = Math.max(1, ...series.flatMap((s) => variants.map((v) => s.units[v] ?? 0)));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (i) => pad.left + (series.length <= 1 ? plotW : (i * plotW) / (series.length - 1));
  const y = (n) => pad.top + plotH - (n / max) * plotH;
  const axis = { stroke: "#8a939e", "stroke-width": 1 };
  svg.append(el("line", { x1: pad.left, y1: pad.top, x2: pad.left, y2: pad.top + plotH, ...axis }));
  svg.append(el("line", { x1: pad.left, y1: pad.top + plotH, x2: pad.left + plotW, y2: pad.top + plotH, ...axis }));
  const label = { fill: "#4a5360", "font-size": 12 };
  svg.append(el("text", { x: pad.left - 6, y: pad.top + 10, "text-anchor": "end", ...label }, String(max)));
  svg.append(el("text", { x: pad.left - 6, y: pad.top + plotH, "text-anchor": "end", ...label }, "0"));
  if (series.length > 0) {
    svg.append(el("text", { x: pad.left, y: height - 10, ...label }, clock(series[0].at)));
    svg.append(el("text", { x: pad.left + plotW, y: height - 10, "text-anchor": "end", ...label }, clock(last.at)));
  }
  variants.forEach((v, i) => {
    const points = series.map((s, j) => `${x(j).toFixed(1)},${y(s.units[v] ?? 0).toFixed(1)}`);
    if (points.length === 1) points.unshift(`${pad.left},${points[0].split(",")[1]}`);
    const attrs = { points: points.join(" "), fill: "none", stroke: VARIANT_COLOURS[i % VARIANT_COLOURS.length], "stroke-width": 2.5 };
    if (DASHES[i % DASHES.length]) attrs["stroke-dasharray"] = DASHES[i % DASHES.length];
    svg.append(el("polyline", attrs));
  });
  return svg;
}

/**
 * A confidence sequence of a lift as a bar around zero: the interval, the point, and the zero line.
 * Decorative: the row says the same in words.
 */
export function intervalBar(lift, lower, upper, bad) {
  const width = 160;
  const height = 18;
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true", focusable: "false" });
  const span = Math.max(0.05, Math.abs(lower), Math.abs(upper), Math.abs(lift));
  const x = (v) => width / 2 + (v / span) * (width / 2 - 6);
  svg.append(el("line", { x1: width / 2, y1: 1, x2: width / 2, y2: height - 1, stroke: "#4a5360", "stroke-width": 1 }));
  const colour = bad ? "#a1131f" : "#1f4fd1";
  svg.append(el("line", { x1: x(lower), y1: height / 2, x2: x(upper), y2: height / 2, stroke: colour, "stroke-width": 4 }));
  svg.append(el("circle", { cx: x(lift), cy: height / 2, r: 4, fill: colour }));
  return svg;
}

function clock(iso) {
  return iso.slice(11, 19);
}
