import { readFile } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../../../fsio/atomic.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "../segment-files.js";
import type { GuardFinding } from "./guard-judge.js";

/** A breach a guard acted on, as `<data-dir>/guards.json` keeps it. */
export interface GuardBreachRecord extends GuardFinding {
  /** ISO-8601, at the server's clock. */
  at: string;
  action: "rollback" | "pause";
  /** The phase the guard judged (an experiment's phase, a rollout's step). */
  phase: number;
  /** Units per arm when it broke. */
  units: Record<string, number>;
  /** The ruleset version that broke glass; null when it could not be published. */
  version: number | null;
}

/** A gated rollout step a guard took (docs/file-formats.md#gated-steps), as `<data-dir>/guards.json` keeps it. */
export interface GuardAdvanceRecord {
  /** ISO-8601, at the server's clock: the step's `at` from then on. */
  at: string;
  /** The 1-based step taken. */
  step: number;
  /** Units per arm of the step before when it was taken. */
  units: Record<string, number>;
  /** The ruleset version that took it; null when it could not be published. */
  version: number | null;
}

interface StoredGuards {
  breaches: Record<string, GuardBreachRecord>;
  advances?: Record<string, GuardAdvanceRecord[]>;
}

const FILE = "guards.json";

/**
 * The breaches of one server, by guard key, in `<data-dir>/guards.json` (replaced atomically), so
 * that a restart neither forgets a breach nor acts on it twice. A breach stays until the file entry
 * is removed (docs/http-api.md#guards).
 */
export class GuardStore {
  private constructor(
    private readonly dataDir: string,
    private byKey: Map<string, GuardBreachRecord>,
    private advancesByKey: Map<string, GuardAdvanceRecord[]>,
  ) {}

  static async open(dataDir: string): Promise<GuardStore> {
    let text: string | undefined;
    try {
      text = await readFile(join(dataDir, FILE), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const stored: StoredGuards = text === undefined ? { breaches: {} } : (JSON.parse(text) as StoredGuards);
    return new GuardStore(dataDir, new Map(Object.entries(stored.breaches)), new Map(Object.entries(stored.advances ?? {})));
  }

  get(key: string): GuardBreachRecord | undefined {
    return this.byKey.get(key);
  }

  /** Records a breach once the server has acted on it (breaking glass again finds nothing left to change). */
  async record(key: string, breach: GuardBreachRecord): Promise<void> {
    const next = new Map(this.byKey).set(key, breach);
    await this.write(next, this.advancesByKey);
    this.byKey = next;
  }

  /** The gated step `step` (1-based) of the rollout guarded by `key`, if the server took it. */
  advance(key: string, step: number): GuardAdvanceRecord | undefined {
    return this.advancesByKey.get(key)?.find((a) => a.step === step);
  }

  /** Records a gated step once the server has taken it, so that it is taken once, also across restarts. */
  async recordAdvance(key: string, advance: GuardAdvanceRecord): Promise<void> {
    const next = new Map(this.advancesByKey).set(key, [...(this.advancesByKey.get(key) ?? []), advance]);
    await this.write(this.byKey, next);
    this.advancesByKey = next;
  }

  private async write(breaches: Map<string, GuardBreachRecord>, advances: Map<string, GuardAdvanceRecord[]>): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true, mode: PRIVATE_DIR });
    const body: StoredGuards = { breaches: sortedObject(breaches), ...(advances.size > 0 ? { advances: sortedObject(advances) } : {}) };
    await writeFileAtomic(join(this.dataDir, FILE), `${JSON.stringify(body, null, 2)}\n`, { mode: PRIVATE_FILE });
  }
}

const sortedObject = <T>(m: Map<string, T>): Record<string, T> =>
  Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
