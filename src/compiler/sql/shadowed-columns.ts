import type { SqlContext } from "./context.js";

/** The names the exposure columns that blocks alias to their own role are read under. */
export const UNSHADOWED = { unit_id: "exp_unit_id", variant: "exp_variant" } as const;

const RAW = "r";

/**
 * In ClickHouse a SELECT alias is visible in the whole query and hides the column of the same name,
 * even a qualified one: `MIN(x.variant) AS variant ... MAX(x.variant)` would read the alias (and
 * fail as an aggregate inside an aggregate), and a session experiment's `x.session_id AS unit_id,
 * MIN(x.unit_id)` would silently read the session id. For such a dialect the exposures table is read
 * through a subquery that also carries those columns under names no block uses as an alias.
 */
export function readUnshadowedExposures(ctx: SqlContext): SqlContext {
  if (!ctx.dialect.aliasesShadowColumns) return ctx;
  const { dialect } = ctx;
  const c = ctx.exposureColumns;
  const unit = dialect.quoteIdentifier(UNSHADOWED.unit_id);
  const variant = dialect.quoteIdentifier(UNSHADOWED.variant);
  return {
    ...ctx,
    tables: {
      ...ctx.tables,
      exposures: `(SELECT ${RAW}.*, ${RAW}.${c.unit_id} AS ${unit}, ${RAW}.${c.variant} AS ${variant} FROM ${ctx.tables.exposures} AS ${RAW})`,
    },
    exposureColumns: { ...c, unit_id: unit, variant },
  };
}
