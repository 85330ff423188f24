import { cumulativeLiftChart, unitsChart } from "./charts/over-time.js";
import { forestPlot } from "./charts/forest.js";
import { slicesChart } from "./charts/slices.js";
import { slicesChartName } from "./dimensions.js";
import { chartsOf, renderReportMarkdown } from "./markdown.js";
import type { ReportInput } from "./model.js";

export interface ReportFiles {
  /** Path relative to the workspace root → file content. The markdown comes first. */
  files: { path: string; content: string }[];
  markdownPath: string;
}

/** Builds a report's markdown and its SVG charts as files under reports/<experiment>/. Pure: no I/O. */
export async function buildReport(input: ReportInput, template: string): Promise<ReportFiles> {
  const dir = `reports/${input.experiment.key}`;
  const charts = chartsOf(input);
  const primary = input.analysis.metrics.find((m) => m.tier === "primary")?.metric ?? "primary metric";
  const markdown = renderReportMarkdown(input, template, charts);
  const markdownPath = `${dir}/${input.date}.md`;
  return {
    markdownPath,
    files: [
      { path: markdownPath, content: markdown },
      ...(charts.forest === null ? [] : [{ path: `${dir}/${charts.forest}`, content: await forestPlot(input.analysis) }]),
      ...(charts.cumulative === null
        ? []
        : [
            {
              path: `${dir}/${charts.cumulative}`,
              content: await cumulativeLiftChart({
                daily: input.daily,
                metric: primary,
                alpha: input.analysis.alpha,
                control: input.experiment.control,
              }),
            },
          ]),
      ...(charts.units === null ? [] : [{ path: `${dir}/${charts.units}`, content: await unitsChart(input.daily) }]),
      ...(input.analysis.dimensions?.length
        ? [{ path: `${dir}/${slicesChartName(input.date)}`, content: await slicesChart(input.analysis) }]
        : []),
    ],
  };
}
