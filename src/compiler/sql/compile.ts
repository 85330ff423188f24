import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { SESSION_UNIT, type Experiment, type Metric, type Workspace } from "../../workspace/model.js";
import { type CompiledAggregate, compileAggregate } from "./aggregate.js";
import { exposureSummarySql, exposureTotalsCte } from "./blocks/exposure-summary.js";
import { experimentListSql } from "./blocks/experiment-list.js";
import { identityStitchCtes, stitchWindow } from "./blocks/identity-stitch.js";
import { hasBucketSql } from "./blocks/holdout-bucket.js";
import { holdoutUnitsCtes } from "./blocks/holdout-units.js";
import { exposureUnitsCte, firstExposureCte, firstExposureFromUnitsCte } from "./blocks/first-exposure.js";
import { quantileQueryBody } from "./blocks/quantile.js";
import { sufficientStatsSelect } from "./blocks/sufficient-stats.js";
import { slicedFirstExposureCtes, sliceStatsSelect } from "./blocks/slice-stats.js";
import { unitMetricsCte } from "./blocks/unit-metrics.js";
import { unitValuesCte } from "./blocks/unit-values.js";
import { userClustersSql } from "./blocks/user-clusters.js";
import { SQL_CODES } from "./codes.js";
import { createContext, forQuery, parseAsOf, type CohortFilter, type PhaseFilter, type SqlContext } from "./context.js";
import type { DialectName, SqlDialect } from "./dialect.js";
import { dialects, isDialectName } from "./dialects/index.js";
import { inlineCommonTables } from "./inline-ctes.js";
import { interleavingCreditSql } from "./blocks/interleaving-credit.js";
import { allAggregates, covariateNames, type MetricShape, type PlannedMetric, planMetric } from "./metric-plan.js";

export interface CompileSqlOptions {
  workspace: Workspace;
  experiment: Experiment;
  /** One metric key, or several; default: the experiment's primary, secondary and guardrail metrics. */
  metric?: string | readonly string[];
  /** Default: the dialect of `connection`'s type (or of the default connection). */
  dialect?: DialectName | SqlDialect;
  /** ISO-8601; only exposures and events strictly before it count. */
  asOf?: string;
  /**
   * Only the analysed phase's exposures: `{column: N}` where the exposures table has the phase column,
   * `{since: ISO-8601}` from the phase's start otherwise. Default: every exposure of the experiment.
   */
  phase?: PhaseFilter;
  /** Only the units first exposed in this window (ISO-8601 bounds): one allocation epoch of a bandit. */
  cohort?: CohortFilter;
  connection?: string;
  /** Inline every value as an escaped literal (for display) even where the driver binds parameters. */
  inlineParams?: boolean;
  /** An exposure attribute: `slices` then breaks the batch metrics down by its value at first exposure. */
  dimension?: string;
  /** With `dimension`: pairs of metrics (a binary outcome and its label) whose per-unit product `slices` sums too. */
  products?: readonly (readonly [string, string])[];
}

export interface CompiledQuery {
  readonly sql: string;
  /** Values of $1, $2, … (empty when the dialect inlines values). */
  readonly params: string[];
}

/** Where a metric's statistics sit in a query's output: columns `${prefix}_n`, `${prefix}_sum`, … */
export interface MetricColumns {
  readonly metric: string;
  readonly shape: MetricShape;
  readonly prefix: string;
  readonly quantile?: number;
  readonly lookbackSeconds?: number;
  /** Shape cupac: the covariates in column order (`${prefix}_sum_x${j}`, …). */
  readonly covariates?: readonly string[];
}

export interface CompiledMetricQuery extends CompiledQuery, MetricColumns {}

export interface CompiledExperimentSql {
  readonly dialect: DialectName;
  readonly exposures: CompiledQuery;
  /** The experiments in the exposures table with their first exposure (what an analysis without exposures reports). */
  readonly experiments: CompiledQuery;
  /** One self-contained query per metric (what `exp sql --metric` prints). */
  readonly metrics: CompiledMetricQuery[];
  /**
   * Every non-quantile metric in one query with a single pass over the events; what analysis runs.
   * Its rows also carry the exposure summary (`units`, `multiple_exposures`, `first_exposure`,
   * `last_exposure`), which `exposures` gives on its own. Absent when there is no such metric.
   */
  readonly batch?: CompiledQuery & { readonly columns: MetricColumns[] };
  /**
   * With `dimension`: the batch metrics per variant and slice (docs/analysis.md#dimensions), rows of
   * `variant`, `slice`, `units` and the metrics' columns; each product is the column `${a}_${b}_product`
   * of the two metrics' prefixes.
   */
  readonly slices?: CompiledQuery & {
    readonly columns: MetricColumns[];
    readonly products: readonly { readonly metrics: readonly [string, string]; readonly column: string }[];
  };
  /** An interleaving experiment with a click event: its units' preferences (blocks/interleaving-credit.ts). */
  readonly interleaving?: CompiledQuery;
  readonly diagnostics: Diagnostic[];
}

function resolveDialect(opts: CompileSqlOptions, diagnostics: Diagnostic[]): SqlDialect | undefined {
  if (typeof opts.dialect === "object") return opts.dialect;
  if (opts.dialect !== undefined) return dialects[opts.dialect];
  const wh = opts.workspace.settings.warehouse;
  const name = opts.connection ?? wh.default;
  const conn = wh.connections[name];
  if (!conn) {
    diagnostics.push(
      diagnostic(
        SQL_CODES.unknownDialect,
        `There is no warehouse connection "${name}"; pick one of ${
          Object.keys(wh.connections)
            .map((c) => `"${c}"`)
            .join(", ") || "(none configured)"
        }.`,
        { suggestion: didYouMean(name, Object.keys(wh.connections)) },
      ),
    );
    return undefined;
  }
  return isDialectName(conn.type) ? dialects[conn.type] : undefined;
}

function selectMetrics(opts: CompileSqlOptions, diagnostics: Diagnostic[]): Metric[] {
  const { workspace, experiment } = opts;
  const keys =
    opts.metric === undefined
      ? [...new Set([...experiment.metrics.primary, ...experiment.metrics.secondary, ...experiment.metrics.guardrails])]
      : typeof opts.metric === "string"
        ? [opts.metric]
        : [...opts.metric];
  const out: Metric[] = [];
  for (const key of keys) {
    const metric = workspace.metrics.get(key);
    if (metric) out.push(metric);
    else
      // A name from the experiment file points there; one from --metric has no place in a file.
      diagnostics.push(
        diagnostic(SQL_CODES.unknownMetric, `There is no metric "${key}"; add metrics/${key}.yaml or fix the name.`, {
          span: opts.metric === undefined ? experiment.origin.values[""] : undefined,
          suggestion: didYouMean(key, workspace.metrics.keys()),
        }),
      );
  }
  return out;
}

function header(kind: string, experiment: Experiment, plans: readonly PlannedMetric[]): string {
  return `-- exp:${kind} ${experiment.key}: ${plans.map((p) => `${p.metric.key} (${p.shape})`).join(", ")}`;
}

/** Plans and compiles the aggregates of `metrics` in a fresh query scope; undefined if any fails. */
function prepare(ctx: SqlContext, experiment: Experiment, metrics: readonly Metric[]) {
  const plans: PlannedMetric[] = [];
  const compiled = new Map<PlannedMetric, CompiledAggregate[]>();
  for (const [i, metric] of metrics.entries()) {
    const plan = planMetric(ctx, experiment, metric, i);
    if (!plan) return undefined;
    const aggs = allAggregates(plan).map((a) => compileAggregate(ctx, a));
    if (aggs.some((a) => a === undefined)) return undefined;
    plans.push(plan);
    compiled.set(plan, aggs as CompiledAggregate[]);
  }
  return { plans, compiled };
}

/**
 * Non-quantile metrics in one query. The batch form also carries the exposure summary, so that
 * analysis aggregates the exposures once instead of twice. The clustered form is one user-level
 * metric of a session experiment: its sessions' values, summed per user (docs/analysis.md).
 */
function unitLevelQuery(
  ctx: SqlContext,
  experiment: Experiment,
  metrics: readonly Metric[],
  form: "single" | "batch" | "clustered" | { dimension: string; products: readonly (readonly [string, string])[] } = "single",
) {
  const batch = form === "batch";
  const sliced = typeof form === "object" ? form : undefined;
  // Built first so that the experiment key and as-of time are $1 and $2.
  const firstExposure = ctx.holdout
    ? holdoutPopulationCtes(ctx, batch)
    : batch
      ? [exposureUnitsCte(ctx, experiment.key), exposureTotalsCte(ctx), firstExposureFromUnitsCte()].join(",\n")
      : sliced
        ? slicedFirstExposureCtes(ctx, experiment.key, sliced.dimension)
        : firstExposureCte(ctx, experiment.key);
  const prepared = prepare(ctx, experiment, metrics);
  if (!prepared) return undefined;
  const unitValues = unitValuesCte(ctx, prepared.plans, prepared.compiled);
  if (unitValues === undefined) return undefined;
  const unitMetrics = unitMetricsCte(ctx, prepared.plans, sliced ? ["slice"] : []);
  const planOf = (key: string) => prepared.plans.find((p) => p.metric.key === key);
  const products = (sliced?.products ?? []).flatMap(([a, b]) => {
    const [pa, pb] = [planOf(a), planOf(b)];
    return pa && pb ? [[pa, pb] as const] : [];
  });
  const final = sliced ? sliceStatsSelect(ctx, prepared.plans, products) : sufficientStatsSelect(ctx, prepared.plans, batch);
  const sql = [
    header(form === "clustered" ? "clustered" : sliced ? `slices by ${sliced.dimension}` : "metrics", experiment, prepared.plans),
    ctx.holdout ? "WITH RECURSIVE" : "WITH",
    `${firstExposure},`,
    ...identityStitchCtes(ctx),
    `${unitValues},`,
    ...(form === "clustered" ? [`${unitMetrics},`, ...userClustersSql(ctx, prepared.plans[0]!, experiment.control)] : [unitMetrics, final]),
  ].join("\n");
  const productColumns = products.map(([a, b]) => ({
    metrics: [a.metric.key, b.metric.key] as const,
    column: `${a.prefix}_${b.prefix}_product`,
  }));
  return { sql, params: ctx.params.values, plans: prepared.plans, products: productColumns };
}

/** docs/analysis.md#holdouts: the holdout's members and everyone else seen in the events, as exposure_units. */
function holdoutPopulationCtes(ctx: SqlContext, withTotals: boolean): string {
  return [...holdoutUnitsCtes(ctx, ctx.holdout!), ...(withTotals ? [exposureTotalsCte(ctx)] : []), firstExposureFromUnitsCte()].join(",\n");
}

function quantileQuery(ctx: SqlContext, experiment: Experiment, metric: Metric) {
  const firstExposure = ctx.holdout ? holdoutPopulationCtes(ctx, false) : firstExposureCte(ctx, experiment.key);
  const prepared = prepare(ctx, experiment, [metric]);
  if (!prepared) return undefined;
  const plan = prepared.plans[0]!;
  const agg = prepared.compiled.get(plan)![0]!;
  if (agg.value === undefined) return undefined;
  const body = quantileQueryBody(ctx, plan, agg);
  const sql = [
    header("quantile", experiment, [plan]),
    ctx.holdout ? "WITH RECURSIVE" : "WITH",
    `${firstExposure},`,
    ...identityStitchCtes(ctx),
    ...body,
  ].join("\n");
  return { sql, params: ctx.params.values, plans: [plan] };
}

/** Exact quantiles rank events with window functions, which the dialect's engine lacks. */
function noQuantiles(dialect: SqlDialect, metric: Metric): Diagnostic {
  return diagnostic(
    SQL_CODES.quantileUnsupported,
    `The metric "${metric.key}" is a quantile, which the "${dialect.name}" dialect cannot compute (its engine has no window functions); analyse it on another connection or leave it out of this experiment's metrics.`,
    { span: metric.origin.values[""] },
  );
}

function columnsOf(plan: PlannedMetric): MetricColumns {
  return {
    metric: plan.metric.key,
    shape: plan.shape,
    prefix: plan.prefix,
    quantile: plan.metric.quantile,
    lookbackSeconds: plan.lookbackSeconds,
    ...(plan.covariates ? { covariates: covariateNames(plan) } : {}),
  };
}

/**
 * Compiles an experiment's analysis to SQL (docs/analysis.md): the exposure summary, one query per metric,
 * and a batch query for the non-quantile metrics. Pure: no warehouse is touched.
 */
export function compileExperimentSql(opts: CompileSqlOptions): CompiledExperimentSql {
  const diagnostics: Diagnostic[] = [];
  const dialect = resolveDialect(opts, diagnostics);
  const asOf = opts.asOf === undefined ? undefined : parseAsOf(opts.asOf, diagnostics);
  const since = opts.phase && "since" in opts.phase ? parseAsOf(opts.phase.since, diagnostics) : undefined;
  const cohortFrom = opts.cohort?.from === undefined ? undefined : parseAsOf(opts.cohort.from, diagnostics);
  const cohortTo = opts.cohort?.to === undefined ? undefined : parseAsOf(opts.cohort.to, diagnostics);
  const metrics = selectMetrics(opts, diagnostics);
  const empty = { sql: "", params: [] };
  const unreadable =
    (opts.asOf !== undefined && asOf === undefined) ||
    (opts.phase && "since" in opts.phase && since === undefined) ||
    (opts.cohort?.from !== undefined && cohortFrom === undefined) ||
    (opts.cohort?.to !== undefined && cohortTo === undefined);
  const noBucket = dialect !== undefined && opts.experiment.holdoutPopulation !== undefined && !hasBucketSql(dialect.name);
  if (noBucket) {
    diagnostics.push(
      diagnostic(
        SQL_CODES.holdoutUnsupported,
        `A holdout analysis computes each unit's bucket in SQL, which exp does for DuckDB and PostgreSQL but not yet for "${dialect.name}"; analyse holdout "${opts.experiment.holdoutPopulation!.key}" on a DuckDB or PostgreSQL connection.`,
      ),
    );
  }
  if (!dialect || unreadable || noBucket)
    return { dialect: dialect?.name ?? "duckdb", exposures: empty, experiments: empty, metrics: [], diagnostics };
  const inline = opts.inlineParams === true;
  const phase = since !== undefined ? { since } : opts.phase;
  const cohort = opts.cohort
    ? { ...(cohortFrom !== undefined ? { from: cohortFrom } : {}), ...(cohortTo !== undefined ? { to: cohortTo } : {}) }
    : undefined;
  const sessionUnit = opts.experiment.unit === SESSION_UNIT;
  const excludedUnits = Object.values(opts.experiment.overrides ?? {}).flat();
  const identityWindowSeconds = stitchWindow(opts.experiment);
  const base = createContext(dialect, opts.workspace.settings, {
    inline,
    asOf,
    phase,
    cohort,
    sessionUnit,
    excludedUnits,
    identityWindowSeconds,
  });
  diagnostics.push(...base.diagnostics);
  const scoped = (): SqlContext => {
    const ctx = forQuery(base, inline);
    return { ...ctx, diagnostics, metrics: opts.workspace.metrics, holdout: opts.experiment.holdoutPopulation };
  };

  const written = (sql: string) => (dialect.inlineCommonTables ? inlineCommonTables(sql) : sql);

  const exposureCtx = scoped();
  const exposures = { sql: written(exposureSummarySql(exposureCtx, opts.experiment.key)), params: exposureCtx.params.values };
  const listCtx = scoped();
  const experiments = { sql: written(experimentListSql(listCtx)), params: listCtx.params.values };

  const perMetric: CompiledMetricQuery[] = [];
  const unitLevel: Metric[] = [];
  for (const metric of metrics) {
    if (metric.kind === "quantile" && dialect.windowFunctions === false) {
      diagnostics.push(noQuantiles(dialect, metric));
      continue;
    }
    const ctx = scoped();
    const clustered = sessionUnit && metric.unit !== SESSION_UNIT && metric.kind !== "ratio" && metric.kind !== "quantile";
    const q =
      metric.kind === "quantile"
        ? quantileQuery(ctx, opts.experiment, metric)
        : clustered
          ? unitLevelQuery(ctx, opts.experiment, [metric], "clustered")
          : unitLevelQuery(ctx, opts.experiment, [metric]);
    if (!q) continue;
    perMetric.push({ sql: written(q.sql), params: q.params, ...columnsOf(q.plans[0]!) });
    if (metric.kind !== "quantile" && !clustered) unitLevel.push(metric);
  }
  let batch: CompiledExperimentSql["batch"];
  if (unitLevel.length > 0) {
    const ctx = scoped();
    // Diagnostics were already reported per metric; the batch only repeats the same compilation.
    const q = unitLevelQuery({ ...ctx, diagnostics: [] }, opts.experiment, unitLevel, "batch");
    if (q) batch = { sql: written(q.sql), params: q.params, columns: q.plans.map(columnsOf) };
  }
  let slices: CompiledExperimentSql["slices"];
  if (opts.dimension !== undefined && unitLevel.length > 0) {
    const ctx = scoped();
    const form = { dimension: opts.dimension, products: opts.products ?? [] };
    const q = unitLevelQuery({ ...ctx, diagnostics: [] }, opts.experiment, unitLevel, form);
    if (q) slices = { sql: written(q.sql), params: q.params, columns: q.plans.map(columnsOf), products: q.products };
  }
  const interleaving = interleavingQuery(scoped(), opts.experiment, written);
  return {
    dialect: dialect.name,
    exposures,
    experiments,
    metrics: perMetric,
    batch,
    ...(slices ? { slices } : {}),
    ...(interleaving ? { interleaving } : {}),
    diagnostics,
  };
}

function interleavingQuery(ctx: SqlContext, e: Experiment, written: (sql: string) => string): CompiledQuery | undefined {
  const clicks = e.interleaving_clicks;
  if (e.type !== "interleaving" || !clicks || !e.rankers || e.rankers.length !== 2) return undefined;
  const sql = interleavingCreditSql(ctx, {
    experiment: e.key,
    rankers: [e.rankers[0]!, e.rankers[1]!],
    clickEvent: clicks.event,
    itemProperty: clicks.item_property,
  });
  return sql === undefined ? undefined : { sql: written(sql), params: ctx.params.values };
}
