import {
  DEFAULT_DECISION,
  IDENTITY_MAP_LAYOUT,
  type AnalysisDefaults,
  type AttributeType,
  type DecisionRules,
  type EpochUnit,
  type PropertyType,
  type PublishTarget,
  type Settings,
  type WarehouseConnection,
} from "../model.js";
import { buildAlerts } from "./alerts.js";
import type { FileBuild } from "./context.js";
import { buildEnvironments } from "./environments.js";
import { dict } from "./values.js";

type Raw = Record<string, any>;

/** docs/workspace.md defaults, used for anything exp.yaml leaves out. */
export const DEFAULT_ANALYSIS: AnalysisDefaults & { decision: DecisionRules } = {
  alpha: 0.05,
  power: 0.8,
  srm_threshold: 0.001,
  method: "fixed",
  correction: "bh",
  cuped: true,
  cuped_lookback: { seconds: 14 * 86400, text: "14d" },
  window: { seconds: 14 * 86400, text: "14d" },
  require_guardrails: false,
  decision: DEFAULT_DECISION,
};

/** Decision rules from the `decision:` block at `path`, each field falling back to `base`. */
export function buildDecisionRules(b: FileBuild, path: string, raw: Record<string, any> | undefined, base: DecisionRules): DecisionRules {
  const d: Record<string, any> = raw ?? {};
  return {
    min_duration: d.min_duration !== undefined ? b.duration(`${path}.min_duration`, d.min_duration) : base.min_duration,
    min_units_per_variant: d.min_units_per_variant ?? base.min_units_per_variant,
    ship: d.ship ?? base.ship,
    guardrails: d.guardrails ?? base.guardrails,
  };
}

/** docs/workspace.md warehouse tables and columns, for whatever exp.yaml does not remap. */
export const DEFAULT_WAREHOUSE_LAYOUT: Pick<Settings["warehouse"], "tables" | "columns"> = {
  tables: { exposures: "exposures", events: "events", identities: IDENTITY_MAP_LAYOUT.table },
  columns: {
    exposures: {
      unit_id: "unit_id",
      experiment: "experiment",
      variant: "variant",
      ts: "ts",
      session_id: "session_id",
      attributes: "attributes",
      phase: "phase",
    },
    events: {
      unit_id: "unit_id",
      session_id: "session_id",
      event: "event",
      ts: "ts",
      value: "value",
      properties: "properties",
      event_id: "event_id",
    },
    identities: IDENTITY_MAP_LAYOUT.columns,
  },
};

export function buildSettings(b: FileBuild, raw: Raw): Settings {
  const d: Raw = raw.defaults ?? {};
  const wh: Raw = raw.warehouse ?? {};
  const cols: Raw = wh.columns ?? {};
  const { ts_unit: exposuresTsUnit, ...exposureColumns }: Raw = cols.exposures ?? {};
  const { ts_unit: eventsTsUnit, ...eventColumns }: Raw = cols.events ?? {};
  const connections: Record<string, WarehouseConnection> =
    wh.connections ?? dict({ local: { type: "duckdb", path: ".exp/warehouse.duckdb" } });
  return {
    version: 1,
    project: raw.project,
    units: raw.units,
    attributes: (raw.attributes ?? dict()) as Record<string, AttributeType>,
    events: (raw.events ?? dict()) as Record<string, Record<string, PropertyType>>,
    warehouse: {
      default: wh.default ?? Object.keys(connections)[0] ?? "local",
      connections,
      tables: {
        exposures: wh.tables?.exposures ?? DEFAULT_WAREHOUSE_LAYOUT.tables.exposures,
        events: wh.tables?.events ?? DEFAULT_WAREHOUSE_LAYOUT.tables.events,
        identities: wh.tables?.identities ?? IDENTITY_MAP_LAYOUT.table,
      },
      columns: {
        exposures: { ...DEFAULT_WAREHOUSE_LAYOUT.columns.exposures, ...exposureColumns },
        events: { ...DEFAULT_WAREHOUSE_LAYOUT.columns.events, ...eventColumns },
        identities: { ...IDENTITY_MAP_LAYOUT.columns, ...cols.identities },
      },
      ...(exposuresTsUnit || eventsTsUnit
        ? {
            ts_units: {
              ...(exposuresTsUnit ? { exposures: exposuresTsUnit as EpochUnit } : {}),
              ...(eventsTsUnit ? { events: eventsTsUnit as EpochUnit } : {}),
            },
          }
        : {}),
    },
    runtime: { publish: (raw.runtime?.publish as PublishTarget) ?? { type: "directory", path: ".exp/published" } },
    ...(raw.environments !== undefined ? { environments: buildEnvironments(b, raw.environments) } : {}),
    defaults: {
      alpha: d.alpha ?? DEFAULT_ANALYSIS.alpha,
      power: d.power ?? DEFAULT_ANALYSIS.power,
      srm_threshold: d.srm_threshold ?? DEFAULT_ANALYSIS.srm_threshold,
      method: d.method ?? DEFAULT_ANALYSIS.method,
      correction: d.correction ?? DEFAULT_ANALYSIS.correction,
      cuped: d.cuped ?? DEFAULT_ANALYSIS.cuped,
      cuped_lookback: d.cuped_lookback ? b.duration("defaults.cuped_lookback", d.cuped_lookback) : DEFAULT_ANALYSIS.cuped_lookback,
      window: d.window ? b.duration("defaults.window", d.window) : DEFAULT_ANALYSIS.window,
      require_guardrails: d.require_guardrails ?? DEFAULT_ANALYSIS.require_guardrails,
      decision: buildDecisionRules(b, "defaults.decision", d.decision, DEFAULT_ANALYSIS.decision),
    },
    privacy: {
      hash_unit_ids: raw.privacy?.hash_unit_ids ?? false,
      ...(raw.privacy?.unit_id_secret !== undefined ? { unit_id_secret: raw.privacy.unit_id_secret } : {}),
      ...(raw.privacy?.opt_out_file !== undefined ? { opt_out_file: raw.privacy.opt_out_file } : {}),
      ...(raw.privacy?.retention !== undefined ? { retention: b.duration("privacy.retention", raw.privacy.retention) } : {}),
    },
    ...(raw.alerts !== undefined ? { alerts: buildAlerts(b, raw.alerts) } : {}),
    origin: b.origin,
  };
}
