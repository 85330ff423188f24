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
  ) {}

  static async open(dataDir: string): Promise<GuardStore> {
    let text: string | undefined;
    try {
      text = await readFile(join(dataDir, FILE), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    const breaches = text === undefined ? {} : (JSON.parse(text) as { breaches: Record<string, GuardBreachRecord> }).breaches;
    return new GuardStore(dataDir, new Map(Object.entries(breaches)));
  }

  get(key: string): GuardBreachRecord | undefined {
    return this.byKey.get(key);
  }

  /** Records a breach once the server has acted on it (breaking glass again finds nothing left to change). */
  async record(key: string, breach: GuardBreachRecord): Promise<void> {
    const next = new Map(this.byKey).set(key, breach);
    mkdirSync(this.dataDir, { recursive: true, mode: PRIVATE_DIR });
    const body = { breaches: Object.fromEntries([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
    await writeFileAtomic(join(this.dataDir, FILE), `${JSON.stringify(body, null, 2)}\n`, { mode: PRIVATE_FILE });
    this.byKey = next;
  }
}
