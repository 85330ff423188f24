/**
 * A large synthetic workspace for benchmarks (validate, plan): N experiments, M metrics and K flags,
 * all valid, using every file kind and a realistic mix of expressions and references.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface WorkspaceSize {
  experiments: number;
  metrics: number;
  flags: number;
  segments?: number;
  layers?: number;
}

export const BENCH_SIZE: WorkspaceSize = { experiments: 1000, metrics: 300, flags: 200, segments: 40, layers: 20 };

const EXP_YAML = `version: 1
project: bench
units: [user, session]
attributes:
  country: string
  platform: {enum: [web, ios, android]}
  app_version: semver
  is_employee: boolean
  account_age_days: number
events:
  purchase: {revenue: number, currency: string}
  page_view: {}
  click: {position: number}
  impression: {position: number}
  page_load: {latency_ms: number}
  app_open: {}
  session_start: {}
`;

const METRIC_EXPRS = [
  "any(purchase)",
  "sum(purchase.revenue)",
  "count(page_view)",
  "mean(purchase.revenue)",
  "count(click where position <= 5) / count(impression)",
  "p95(page_load.latency_ms)",
  "any(app_open where days_since_exposure between 7 and 14)",
];

/** Writes the workspace into `dir` (which must exist or be creatable) and returns the number of files. */
export function generateWorkspace(dir: string, size: WorkspaceSize = BENCH_SIZE): number {
  const segments = size.segments ?? 40;
  const layers = size.layers ?? 20;
  for (const f of ["metrics", "experiments", "flags", "segments"]) mkdirSync(join(dir, f), { recursive: true });
  writeFileSync(join(dir, "exp.yaml"), EXP_YAML);
  const layerLines = Array.from({ length: layers }, (_, i) => `  layer_${i}: {description: Surface ${i}}`).join("\n");
  writeFileSync(join(dir, "layers.yaml"), `layers:\n${layerLines}\nholdouts:\n  global: {traffic: 2%}\n`);
  let files = 2;
  for (let i = 0; i < segments; i++) {
    const when = i > 0 && i % 5 === 0 ? `segment("seg_${i - 1}") and platform != "web"` : `country in ["US", "CA", "C${i}"] or is_employee`;
    writeFileSync(join(dir, `segments/seg_${i}.yaml`), `segment: seg_${i}\ndescription: Segment ${i}\nwhen: ${when}\n`);
    files++;
  }
  for (let i = 0; i < size.metrics; i++) {
    const expr = METRIC_EXPRS[i % METRIC_EXPRS.length]!;
    const guard = i % 10 === 0 ? "guardrail: {max_regression: 2%}\n" : "";
    writeFileSync(
      join(dir, `metrics/metric_${i}.yaml`),
      `metric: metric_${i}\ndescription: Metric ${i}\nowner: team_${i % 12}\nexpr: ${expr}\nwindow: 14d\n${guard}`,
    );
    files++;
  }
  for (let i = 0; i < size.experiments; i++) {
    const m = (k: number) => `metric_${(i * 3 + k) % size.metrics}`;
    const guardrails = Math.ceil(size.metrics / 10);
    let g = (i % guardrails) * 10;
    while ([m(0), m(1), m(2)].includes(`metric_${g}`)) g = (g + 10) % (guardrails * 10);
    const layer = i % 4 === 0 ? `layer: layer_${i % layers}\n` : "";
    const targeting =
      i % 3 === 0
        ? `targeting: segment("seg_${i % segments}") and account_age_days >= ${i % 30}\n`
        : `targeting: country == "US" and platform in ["ios", "android"]\n`;
    writeFileSync(
      join(dir, `experiments/exp_${i}.yaml`),
      `experiment: exp_${i}
name: Experiment ${i}
owner: team_${i % 12}
hypothesis: Variant ${i} improves things.
status: ${i % 7 === 0 ? "draft" : "running"}
${layer}traffic: ${10 + (i % 90)}%
${targeting}schedule: {start: 2026-11-01T00:00:00Z, end: 2027-01-31T00:00:00Z}
variants:
  control: {weight: 50, config: {v: 0}}
  treatment: {weight: 50, config: {v: 1}}
metrics:
  primary: [${m(0)}]
  secondary: [${m(1)}, ${m(2)}]
  guardrails: [metric_${g}]
power: {mde: 3%, daily_units: 20000}
`,
    );
    files++;
  }
  for (let i = 0; i < size.flags; i++) {
    const exp = `exp_${(i * 5) % size.experiments}`;
    const rules =
      i % 2 === 0
        ? `rules:
  - name: staff
    when: is_employee
    serve: on
  - name: rollout
    when: country == "US"
    rollout:
      variant: on
      steps: [{at: 2026-12-01T00:00:00Z, percent: 10}, {at: 2026-12-07T00:00:00Z, percent: 100}]
`
        : `rules:
  - name: ab
    experiment: ${exp}
    map: {control: off, treatment: on}
`;
    const pre = i > 0 && i % 10 === 0 ? `prerequisites: [flag_${i - 2}]\n` : "";
    writeFileSync(
      join(dir, `flags/flag_${i}.yaml`),
      `flag: flag_${i}\ndescription: Flag ${i}\ntype: boolean\ndefault: off\n${pre}${rules}`,
    );
    files++;
  }
  return files;
}
