import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { IDENTITY_MAP_LAYOUT, type Metric, type Settings } from "../../workspace/model.js";
import { SQL_CODES } from "./codes.js";
import type { SqlDialect } from "./dialect.js";
import { readEpochTimestamps } from "./epoch-time.js";
import { QueryParams } from "./params.js";
import { readUnshadowedExposures } from "./shadowed-columns.js";

/**
 * Which exposures belong to the analysed phase of an experiment (docs/analysis.md): those whose phase
 * column equals it, when the table has one, or else those from the moment the phase started on.
 */
export type PhaseFilter = { readonly column: number } | { readonly since: string };

/**
 * Only the units first exposed in `[from, to)` (a bandit's allocation epoch: its units were assigned
 * under that epoch's weights). Either bound may be absent.
 */
export interface CohortFilter {
  readonly from?: string;
  readonly to?: string;
}

/** Everything a query block needs: the dialect, the parameter sink, and quoted warehouse names. */
export interface SqlContext {
  readonly dialect: SqlDialect;
  readonly params: QueryParams;
  readonly settings: Settings;
  /** Quoted (possibly schema-qualified) table names. */
  readonly tables: { readonly exposures: string; readonly events: string };
  /** Quoted column names, by their docs/workspace.md role. */
  readonly exposureColumns: Settings["warehouse"]["columns"]["exposures"];
  readonly eventColumns: Settings["warehouse"]["columns"]["events"];
  /** 'YYYY-MM-DD HH:MM:SS.mmm' in UTC, when the analysis looks at a past point in time. */
  readonly asOf?: string;
  /** The analysed phase's exposures ('since' in the asOf format). */
  readonly phase?: PhaseFilter;
  /** The units first exposed in this window (bounds in the asOf format). */
  readonly cohort?: CohortFilter;
  /**
   * The experiment randomises sessions: its units are the exposures' `session_id` (the user id rides
   * along as `user_id`, for clustering) and events are attributed by their `session_id`.
   */
  readonly sessionUnit?: boolean;
  /** Unit ids the experiment's QA overrides force (docs/analysis.md): their exposures are left out. */
  readonly excludedUnits?: readonly string[];
  /**
   * The experiment randomises anonymous ids: events reach a unit through the identity map too
   * (blocks/identity-stitch.ts). `table` and `columns` are quoted.
   */
  readonly stitch?: IdentityStitch;
  /** A holdout analysis: the population comes from the events and the holdout's bucket (blocks/holdout-units.ts). */
  readonly holdout?: { readonly key: string; readonly trafficBp: number; readonly since?: string };
  /** The workspace's metrics, where a metric's CUPED covariates are looked up. */
  readonly metrics?: ReadonlyMap<string, Metric>;
  readonly diagnostics: Diagnostic[];
}

export interface IdentityStitch {
  readonly table: string;
  readonly columns: { readonly anonymous_id: string; readonly unit_id: string; readonly ts: string };
  /** How long after its identify call a user's events count for the anonymous unit. */
  readonly windowSeconds: number;
}

// Names from exp.yaml are quoted, never trusted; these characters cannot be quoted portably.
// eslint-disable-next-line no-control-regex
const UNQUOTABLE = /[\u0000-\u001f\u007f]/;

function quoteName(dialect: SqlDialect, name: string, what: string, diagnostics: Diagnostic[], dotted: boolean): string {
  const parts = dotted ? name.split(".") : [name];
  if (name.length === 0 || parts.some((p) => p.length === 0 || UNQUOTABLE.test(p))) {
    diagnostics.push(
      diagnostic(
        SQL_CODES.invalidIdentifier,
        `The ${what} name "${name}" cannot be used in SQL; use letters, digits and underscores (with "." between schema and table).`,
      ),
    );
    return dialect.quoteIdentifier("invalid");
  }
  return parts.map((p) => dialect.quoteIdentifier(p)).join(".");
}

function quoteColumns<T extends Record<string, string>>(dialect: SqlDialect, cols: T, table: string, diagnostics: Diagnostic[]): T {
  const out: Record<string, string> = {};
  for (const [role, name] of Object.entries(cols)) out[role] = quoteName(dialect, name, `${table} column`, diagnostics, false);
  return out as T;
}

/** UTC wall-clock text that every dialect casts to TIMESTAMP the same way (no zone suffix). */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

export function parseAsOf(asOf: string, diagnostics: Diagnostic[]): string | undefined {
  // A bare date or a zone-less time is read as UTC, like the warehouse timestamps.
  let text = asOf.trim().replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text += "T00:00:00";
  if (!/([zZ]|[+-]\d{2}:?\d{2})$/.test(text)) text += "Z";
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    diagnostics.push(
      diagnostic(SQL_CODES.invalidAsOf, `The as-of time "${asOf}" is not an ISO-8601 timestamp; write it like "2026-12-15T00:00:00Z".`),
    );
    return undefined;
  }
  return formatTimestamp(ms);
}

export function createContext(
  dialect: SqlDialect,
  settings: Settings,
  opts: {
    inline: boolean;
    asOf?: string;
    phase?: PhaseFilter;
    cohort?: CohortFilter;
    sessionUnit?: boolean;
    excludedUnits?: readonly string[];
    /** Set for an `identity: anonymous` experiment: its attribution window after an identify call. */
    identityWindowSeconds?: number;
  },
): SqlContext {
  const diagnostics: Diagnostic[] = [];
  const { tables, columns } = settings.warehouse;
  const stitch: IdentityStitch | undefined =
    opts.identityWindowSeconds === undefined
      ? undefined
      : {
          table: quoteName(dialect, tables.identities ?? IDENTITY_MAP_LAYOUT.table, "identities table", diagnostics, true),
          columns: quoteColumns(dialect, columns.identities ?? IDENTITY_MAP_LAYOUT.columns, "identities", diagnostics),
          windowSeconds: opts.identityWindowSeconds,
        };
  return readUnshadowedExposures(
    readEpochTimestamps({
      dialect,
      params: new QueryParams(dialect, opts.inline),
      settings,
      tables: {
        exposures: quoteName(dialect, tables.exposures, "exposures table", diagnostics, true),
        events: quoteName(dialect, tables.events, "events table", diagnostics, true),
      },
      exposureColumns: quoteColumns(dialect, columns.exposures, "exposures", diagnostics),
      eventColumns: quoteColumns(dialect, columns.events, "events", diagnostics),
      asOf: opts.asOf,
      ...(opts.phase ? { phase: opts.phase } : {}),
      ...(opts.cohort ? { cohort: opts.cohort } : {}),
      ...(opts.sessionUnit ? { sessionUnit: true } : {}),
      ...(opts.excludedUnits && opts.excludedUnits.length > 0 ? { excludedUnits: opts.excludedUnits } : {}),
      ...(stitch ? { stitch } : {}),
      diagnostics,
    }),
  );
}

/** A fresh parameter sink over the same names: each query numbers its own placeholders. */
export function forQuery(ctx: SqlContext, inline: boolean): SqlContext {
  return { ...ctx, params: new QueryParams(ctx.dialect, inline) };
}
