import type { PublishTarget } from "../../../plan/target/target.js";
import type { Ruleset } from "../../../ruleset/types.js";
import { srmCheck } from "../../../stats/srm.js";
import type { ServerState } from "../state.js";
import type { ExposureSample, ExposureSeries } from "./exposure-series.js";
import type { LiveGuard, LiveMetricRow, LiveProviders, LiveSrm } from "./providers.js";

/** What the live view shows at one instant; GET /v1/live/snapshot and each stream event carry it. */
export interface LiveSnapshot {
  /** ISO-8601, by the server's clock. */
  generatedAt: string;
  ruleset: { version: number; checksum: string; createdAt: string } | null;
  experiments: LiveExperimentView[];
  flags: LiveFlagView[];
  /** Live statistics per metric × variant; empty when the server has none to give. */
  metrics: LiveMetricRow[];
  metricsAvailable: boolean;
  guards: LiveGuard[];
  /** The newest publish audit records first. */
  audit: LiveAuditEntry[];
}

export interface LiveExperimentView {
  key: string;
  status: string;
  phase: number;
  /** Share of units enrolled, 0–1. */
  traffic: number;
  layer: string | null;
  variants: { key: string; weight: number; units: number; exposures: number }[];
  srm: LiveSrm;
  /** Distinct units per variant over time, oldest first. */
  series: ExposureSample[];
}

export interface LiveFlagView {
  key: string;
  enabled: boolean;
  default: string;
  rules: { name: string; kind: string }[];
}

type AuditRecord = Awaited<ReturnType<PublishTarget["audit"]>>[number];

export type LiveAuditEntry = Pick<AuditRecord, "seq" | "ts" | "actor" | "action" | "fromVersion" | "toVersion" | "summary">;

export interface SnapshotSources {
  state: ServerState;
  series: ExposureSeries;
  providers: LiveProviders;
  /** Whether a metrics provider was passed in at all: without one the view says the statistics are not available. */
  metricsAvailable: boolean;
  srmThreshold: number;
  auditTail: number;
}

/** Builds the snapshot; the ruleset and exposures as served now, the providers' latest, the audit tail. */
export async function buildSnapshot(src: SnapshotSources): Promise<LiveSnapshot> {
  const { state, providers } = src;
  const ruleset = state.rulesets.current;
  const [metrics, guards, audit] = await Promise.all([providers.metrics(), providers.guards(), auditTail(src)]);
  return {
    generatedAt: new Date(state.now()).toISOString(),
    ruleset: ruleset ? { version: ruleset.version, checksum: ruleset.checksum, createdAt: ruleset.createdAt } : null,
    experiments: ruleset ? experimentViews(ruleset, src) : [],
    flags: ruleset ? flagViews(ruleset) : [],
    metrics,
    metricsAvailable: src.metricsAvailable,
    guards,
    audit,
  };
}

function experimentViews(ruleset: Ruleset, { state, series, providers, srmThreshold }: SnapshotSources): LiveExperimentView[] {
  const counted = new Map(state.exposures.variants().map((v) => [`${v.experiment}\u0000${v.variant}`, v]));
  return Object.entries(ruleset.experiments)
    .map(([key, e]) => {
      const variants = e.variants.map((v) => {
        const c = counted.get(`${key}\u0000${v.key}`);
        return { key: v.key, weight: v.weight / 10000, units: c?.units ?? 0, exposures: c?.exposures ?? 0 };
      });
      const check = srmCheck(
        variants.map((v) => v.units),
        e.variants.map((v) => v.weight),
        srmThreshold,
      );
      return {
        key,
        status: e.status,
        phase: e.phase,
        traffic: e.traffic / 10000,
        layer: e.layer ?? null,
        variants,
        srm: providers.srm?.(key) ?? { chi2: check.chi2, p: check.pValue, threshold: srmThreshold, ok: check.ok },
        series: series.of(
          key,
          e.variants.map((v) => v.key),
        ),
      };
    })
    .sort((a, b) => Number(b.status === "running") - Number(a.status === "running") || a.key.localeCompare(b.key));
}

function flagViews(ruleset: Ruleset): LiveFlagView[] {
  return Object.entries(ruleset.flags)
    .map(([key, f]) => ({ key, enabled: f.enabled, default: f.default, rules: f.rules.map((r) => ({ name: r.name, kind: r.kind })) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

async function auditTail({ state, auditTail: n }: SnapshotSources): Promise<LiveAuditEntry[]> {
  // The view is read-only and outlives a bad read: `exp audit verify` is where a broken log is reported.
  const records = await state.store.audit().catch(() => []);
  return records
    .slice(-n)
    .reverse()
    .map((r) => ({
      seq: r.seq,
      ts: r.ts,
      actor: r.actor,
      action: r.action,
      fromVersion: r.fromVersion,
      toVersion: r.toVersion,
      summary: r.summary,
    }));
}
