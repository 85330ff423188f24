import { readFile } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../../fsio/atomic.js";
import type { Ruleset } from "../../ruleset/types.js";
import { appendRecord } from "./privacy/append-record.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "./segment-files.js";

/** One QA override made through `POST /v1/overrides`: a unit served a variant of one experiment or flag until it expires. */
export interface RuntimeOverride {
  id: string;
  /** Exactly one of experimentKey and flagKey. */
  experimentKey?: string;
  flagKey?: string;
  unitId: string;
  variant: string;
  createdAt: string;
  expiresAt: string;
  /** The name of the API key that made it; null without authentication. */
  createdBy: string | null;
}

/** One line of `<data-dir>/overrides-audit.ndjson`: who changed which override, and when (key names only, never keys). */
export interface OverrideAuditRecord {
  ts: string;
  key: string | null;
  action: "create" | "delete";
  override: RuntimeOverride;
}

const FILE = "overrides.json";
const AUDIT_FILE = "overrides-audit.ndjson";

/**
 * The runtime overrides of one server, kept in `<data-dir>/overrides.json` (replaced atomically on
 * every change, so a restart keeps the unexpired ones) with every change appended to
 * `<data-dir>/overrides-audit.ndjson` before it is acknowledged. An override counts until its
 * `expiresAt` at the server's clock, exclusive; expired ones are dropped at the next write.
 * Changes run one at a time, so the file always holds a state the server answered.
 */
export class RuntimeOverrides {
  private byId = new Map<string, RuntimeOverride>();
  private tail: Promise<unknown> = Promise.resolve();
  private changes = 0;

  private constructor(private readonly dataDir: string) {}

  /** The overrides a server left in `dataDir` (none when the file is absent). */
  static async open(dataDir: string): Promise<RuntimeOverrides> {
    const store = new RuntimeOverrides(dataDir);
    let text: string | undefined;
    try {
      text = await readFile(join(dataDir, FILE), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    if (text !== undefined) for (const o of (JSON.parse(text) as { overrides: RuntimeOverride[] }).overrides) store.byId.set(o.id, o);
    return store;
  }

  get auditPath(): string {
    return join(this.dataDir, AUDIT_FILE);
  }

  /** Counts every create and delete: what an evaluator built from `active()` was built at. */
  get generation(): number {
    return this.changes;
  }

  /** The overrides in force at `now`, oldest first. */
  active(now: number): RuntimeOverride[] {
    return inForce(this.byId.values(), now);
  }

  /** The override `id` when it is in force at `now`. */
  get(id: string, now: number): RuntimeOverride | undefined {
    const o = this.byId.get(id);
    return o && Date.parse(o.expiresAt) > now ? o : undefined;
  }

  async create(o: Omit<RuntimeOverride, "id">, now: number): Promise<RuntimeOverride> {
    const override: RuntimeOverride = { id: `ovr_${randomBytes(8).toString("hex")}`, ...o };
    await this.change(now, { ts: new Date(now).toISOString(), key: o.createdBy, action: "create", override }, (next) =>
      next.set(override.id, override),
    );
    return override;
  }

  async delete(id: string, key: string | null, now: number): Promise<RuntimeOverride | undefined> {
    const o = this.get(id, now);
    if (!o) return undefined;
    await this.change(now, { ts: new Date(now).toISOString(), key, action: "delete", override: o }, (next) => next.delete(id));
    return o;
  }

  /**
   * Audits, then persists one change after every earlier one; the in-memory state follows only once
   * both are on disk, so a failed write (a 500) changes nothing the server serves.
   */
  private change(now: number, record: OverrideAuditRecord, edit: (next: Map<string, RuntimeOverride>) => void): Promise<void> {
    const job = this.tail.then(async () => {
      await appendRecord(this.auditPath, record);
      const next = new Map(this.byId);
      edit(next);
      const kept = inForce(next.values(), now);
      mkdirSync(this.dataDir, { recursive: true, mode: PRIVATE_DIR });
      await writeFileAtomic(join(this.dataDir, FILE), `${JSON.stringify({ overrides: kept }, null, 2)}\n`, { mode: PRIVATE_FILE });
      this.byId = new Map(kept.map((o) => [o.id, o]));
      this.changes++;
    });
    this.tail = job.catch(() => undefined);
    return job;
  }
}

/**
 * The served ruleset as evaluation sees it with `active` overrides: each one becomes an entry of
 * its experiment's or flag's `overrides`, ahead of the workspace's own for the same unit; one whose
 * experiment, flag or variant the ruleset no longer has is left out. The served ruleset is not changed.
 */
export function withRuntimeOverrides(ruleset: Ruleset, active: readonly RuntimeOverride[]): Ruleset {
  const experiments = { ...ruleset.experiments };
  const flags = { ...ruleset.flags };
  for (const o of active) {
    if (o.experimentKey !== undefined) {
      const e = experiments[o.experimentKey];
      if (e && e.variants.some((v) => v.key === o.variant))
        experiments[o.experimentKey] = { ...e, overrides: { ...e.overrides, [o.unitId]: o.variant } };
    } else if (o.flagKey !== undefined) {
      const f = flags[o.flagKey];
      if (f && Object.hasOwn(f.variants, o.variant)) flags[o.flagKey] = { ...f, overrides: { ...f.overrides, [o.unitId]: o.variant } };
    }
  }
  return { ...ruleset, experiments, flags };
}

function inForce(overrides: Iterable<RuntimeOverride>, now: number): RuntimeOverride[] {
  return [...overrides].filter((o) => Date.parse(o.expiresAt) > now).sort((a, b) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
