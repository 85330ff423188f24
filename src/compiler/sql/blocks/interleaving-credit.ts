import type { SqlContext } from "../context.js";
import { eventColumn } from "../event-property.js";
import { exposureFilter } from "./first-exposure.js";

/** The exposures' variant for an interleaved list (src/runtime/sdk/interleaving-exposure.ts). */
const INTERLEAVED = "interleaved";

export interface InterleavingCreditDesign {
  experiment: string;
  /** Ranker A, ranker B: the teams the exposures' metadata names. */
  rankers: readonly [string, string];
  clickEvent: string;
  itemProperty: string;
}

/**
 * One row per item of each interleaved list shown, from the exposure's `metadata.interleaving`
 * arrays (`items[i]` and `teams[i]` zipped: DuckDB's unnest and Postgres' set-returning functions
 * in a select list both advance in step). Undefined for a dialect without such an expansion.
 */
function shownItems(ctx: SqlContext, attributes: string): { item: string; team: string } | undefined {
  switch (ctx.dialect.name) {
    case "duckdb":
      return {
        item: `unnest(json_extract_string(${attributes}, '$.interleaving.items[*]'))`,
        team: `unnest(json_extract_string(${attributes}, '$.interleaving.teams[*]'))`,
      };
    case "postgres":
      return {
        item: `jsonb_array_elements_text(CAST(${attributes} AS jsonb) -> 'interleaving' -> 'items')`,
        team: `jsonb_array_elements_text(CAST(${attributes} AS jsonb) -> 'interleaving' -> 'teams')`,
      };
    default:
      return undefined;
  }
}

/**
 * docs/analysis.md#interleaving: per enrolled unit (the session in a session experiment), its
 * clicks credited to each ranker — a click on an item goes to that item's team in the latest list
 * the unit was shown with it at or before the click — and then the count of units that prefer
 * ranker A, prefer B, tie, or clicked nothing shown. Undefined for a dialect that cannot expand the
 * lists yet: the analysis says so (EXP6017).
 */
export function interleavingCreditSql(ctx: SqlContext, design: InterleavingCreditDesign): string | undefined {
  const c = ctx.exposureColumns;
  const shown = shownItems(ctx, `x.${c.attributes}`);
  if (!shown) return undefined;
  const unit = ctx.sessionUnit ? `x.${c.session_id}` : `x.${c.unit_id}`;
  const eventUnit = ctx.sessionUnit ? eventColumn(ctx, "session_id") : eventColumn(ctx, "unit_id");
  const ts = eventColumn(ctx, "ts");
  const clickWhere = [`${eventColumn(ctx, "event")} = ${ctx.params.string(design.clickEvent)}`, `${eventUnit} IS NOT NULL`];
  if (ctx.asOf !== undefined) clickWhere.push(`${ts} < ${ctx.dialect.timestampFrom(ctx.params.string(ctx.asOf))}`);
  const item = ctx.dialect.jsonText(eventColumn(ctx, "properties"), design.itemProperty);
  const [a, b] = design.rankers.map((r) => ctx.params.string(r));
  const count = (when: string) => ctx.dialect.cast(`COUNT(CASE WHEN ${when} THEN 1 END)`, "double");
  return [
    `-- exp:interleaving_credit ${design.experiment}`,
    "WITH",
    "shown AS (",
    `  SELECT ${unit} AS unit_id, x.${c.ts} AS shown_ts, ${shown.item} AS item, ${shown.team} AS team`,
    `  FROM ${ctx.tables.exposures} AS x`,
    `  WHERE ${exposureFilter(ctx, design.experiment)} AND x.${c.variant} = ${ctx.params.string(INTERLEAVED)}`,
    "),",
    "enrolled AS (SELECT DISTINCT unit_id FROM shown),",
    "clicks AS (",
    `  SELECT ${eventUnit} AS unit_id, ${ts} AS click_ts, ${item} AS item, ROW_NUMBER() OVER (ORDER BY ${eventUnit}, ${ts}) AS click_no`,
    `  FROM ${ctx.tables.events} AS e`,
    `  WHERE ${clickWhere.join(" AND ")}`,
    "),",
    "-- the team of the clicked item in the latest list that showed it before the click",
    "credited AS (",
    "  SELECT unit_id, team FROM (",
    "    SELECT k.unit_id, s.team, ROW_NUMBER() OVER (PARTITION BY k.click_no ORDER BY s.shown_ts DESC) AS latest",
    "    FROM clicks AS k JOIN shown AS s ON s.unit_id = k.unit_id AND s.item = k.item AND s.shown_ts <= k.click_ts",
    "  ) AS t WHERE latest = 1",
    "),",
    "per_unit AS (",
    `  SELECT u.unit_id, COUNT(CASE WHEN r.team = ${a} THEN 1 END) AS clicks_a, COUNT(CASE WHEN r.team = ${b} THEN 1 END) AS clicks_b`,
    "  FROM enrolled AS u LEFT JOIN credited AS r ON r.unit_id = u.unit_id",
    "  GROUP BY u.unit_id",
    ")",
    `SELECT ${count("clicks_a > clicks_b")} AS wins_a, ${count("clicks_b > clicks_a")} AS wins_b, ${count("clicks_a = clicks_b AND clicks_a > 0")} AS ties, ${count("clicks_a + clicks_b = 0")} AS no_clicks, ${ctx.dialect.cast("SUM(clicks_a)", "double")} AS clicks_a, ${ctx.dialect.cast("SUM(clicks_b)", "double")} AS clicks_b`,
    "FROM per_unit",
  ].join("\n");
}
