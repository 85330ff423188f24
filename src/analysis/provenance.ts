import { createHash } from "node:crypto";
import type { CompiledQuery } from "../compiler/sql/index.js";
import { definitionsCommit } from "../gitops/commit.js";
import { canonicalJson } from "../ruleset/canonical-json.js";
import { VERSION } from "../version.js";
import type { Experiment, Metric, Settings } from "../workspace/model.js";

/** What makes an analysis reproducible (docs/analysis.md): the definitions, the SQL that ran, and where they came from. */
export interface Provenance {
  /** The last commit that changed the definitions, suffixed "-dirty" when they have uncommitted changes; null outside git. */
  sourceCommit: string | null;
  definitionsSha256: string;
  sqlSha256: string;
  engine: string;
  dataWindow: { start: string | null; end: string | null };
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The definitions an analysis depends on. Parsed expressions carry source spans, so the source
 * text stands in for them: moving a file's lines around must not change the hash, editing an
 * expression must.
 */
export function analysisDefinitions(experiment: Experiment, metrics: readonly Metric[], settings: Settings): unknown {
  const { origin: _origin, targeting: _targeting, ...design } = experiment;
  // The declared types of the exposure attributes the analysis reads (a covariate, a dimension, the
  // fairness attribute): a type decides how the SQL reads the value. Other declarations do not count.
  const read = new Set([
    ...metrics.flatMap((m) => (m.cuped_attributes ?? []).map((a) => a.attribute)),
    ...(experiment.analysis.dimensions ?? []),
    ...(experiment.fairness ? [experiment.fairness.attribute] : []),
  ]);
  return {
    experiment: design,
    metrics: metrics.map((m) => ({
      key: m.key,
      unit: m.unit,
      expr: m.exprText,
      kind: m.kind,
      window: m.window.seconds,
      direction: m.direction,
      cuped: m.cuped,
      ...(m.cuped_covariates ? { cuped_covariates: m.cuped_covariates } : {}),
      // Their names in order; the index is the entry's place in the YAML list, which moving lines does not change.
      ...(m.cuped_attributes ? { cuped_attributes: m.cuped_attributes.map((a) => a.attribute) } : {}),
      guardrail: m.guardrail,
    })),
    settings: {
      units: settings.units,
      events: settings.events,
      defaults: {
        ...settings.defaults,
        cuped_lookback: settings.defaults.cuped_lookback.seconds,
        window: settings.defaults.window.seconds,
      },
      tables: settings.warehouse.tables,
      columns: settings.warehouse.columns,
      privacy: settings.privacy,
      ...(read.size ? { attributes: Object.fromEntries([...read].sort().map((a) => [a, settings.attributes[a] ?? null])) } : {}),
    },
  };
}

/** SHA-256 over each query's SQL text and bound values, in the order they ran. */
export function sqlDigest(queries: readonly CompiledQuery[]): string {
  return sha256(queries.map((q) => `${q.sql}\n-- params: ${JSON.stringify(q.params)}`).join("\n;\n"));
}

export async function buildProvenance(input: {
  root: string;
  experiment: Experiment;
  metrics: readonly Metric[];
  settings: Settings;
  queries: readonly CompiledQuery[];
  dataWindow: { start?: string; end?: string };
}): Promise<Provenance> {
  const source = await definitionsCommit(input.root);
  return {
    sourceCommit: source,
    definitionsSha256: sha256(canonicalJson(analysisDefinitions(input.experiment, input.metrics, input.settings))),
    sqlSha256: sqlDigest(input.queries),
    engine: `exp ${VERSION}`,
    dataWindow: { start: input.dataWindow.start ?? null, end: input.dataWindow.end ?? null },
  };
}
