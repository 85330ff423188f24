// Visitors exposed under an anonymous id who log in and buy under their user id, with every case
// the stitching rules of docs/analysis.md#identity-stitching name, and the per-variant sums those
// rules imply, worked out here from the rows independently of the SQL.
import type { Warehouse } from "../../src/analysis/warehouse.js";
import { mulberry32 } from "../helpers/prng.js";

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse("2026-11-10T00:00:00Z");
/** The experiment's analysis.identity_window. */
export const WINDOW = 2 * D;
export const METRIC_WINDOW = 14 * D;

export interface Row {
  unit: string;
  ts: number;
  value: number;
  id: string;
}
export interface Mapping {
  anonymous: string;
  user: string;
  ts: number;
}

export const csvTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** A population with every case the stitching rules name, and the per-variant sums they imply. */
export function population() {
  const rand = mulberry32(20261206);
  const exposures: { unit: string; variant: string; ts: number }[] = [];
  const identities: Mapping[] = [];
  const events: Row[] = [];
  const buy = (unit: string, ts: number, value: number, id = `ev${events.length}`) => events.push({ unit, ts, value, id });
  for (let i = 0; i < 160; i++) {
    const anon = `anon_${i}`;
    const user = `user_${i}`;
    const variant = i % 2 === 0 ? "control" : "treatment";
    const exposed = T0 + Math.floor(rand() * 5 * H);
    exposures.push({ unit: anon, variant, ts: exposed });
    // Before login, a small purchase under the anonymous id (counted directly).
    if (rand() < 0.3) buy(anon, exposed + 10 * 60_000, 5);
    const login = exposed + H;
    identities.push({ anonymous: anon, user, ts: login });
    // After login, purchases under the user id: the treatment buys more.
    const amount = (variant === "treatment" ? 40 : 20) + Math.round(rand() * 10);
    buy(user, login + 30 * 60_000, amount);
    const c = i % 8;
    if (c === 1) buy(user, login - 10 * 60_000, 1000); // before the mapping: not the unit's
    if (c === 2) buy(user, login + WINDOW, 1000); // at the window's end: out (half-open)
    if (c === 3) {
      // The same purchase logged under both ids: counted once.
      buy(anon, login + 2 * H, 7, `dup${i}`);
      buy(user, login + 2 * H, 7, `dup${i}`);
    }
    if (c === 4) {
      // Remapped to another user later: the latest mapping wins, the first user's purchases do not count.
      identities.push({ anonymous: anon, user: `other_${i}`, ts: login + 3 * H });
      buy(`other_${i}`, login + 4 * H, 11);
    }
    if (c === 5) buy(user, exposed + METRIC_WINDOW + H, 1000); // inside neither window
  }
  // A user's id that nobody exposed, and a mapping of an id outside the experiment: no effect.
  identities.push({ anonymous: "stranger", user: "user_0", ts: T0 });
  buy("user_unexposed", T0 + H, 1000);

  const expected: Record<string, { n: number; sum: number; sumSq: number }> = {};
  const latest = new Map<string, Mapping>();
  for (const m of identities) if (!latest.has(m.anonymous) || latest.get(m.anonymous)!.ts < m.ts) latest.set(m.anonymous, m);
  for (const x of exposures) {
    const m = latest.get(x.unit);
    const own = events.filter((e) => e.unit === x.unit);
    const ownIds = new Set(own.map((e) => e.id));
    const stitched = m ? events.filter((e) => e.unit === m.user && e.ts >= m.ts && e.ts < m.ts + WINDOW && !ownIds.has(e.id)) : [];
    const total = [...own, ...stitched].filter((e) => e.ts >= x.ts && e.ts < x.ts + METRIC_WINDOW).reduce((a, e) => a + e.value, 0);
    const s = (expected[x.variant] ??= { n: 0, sum: 0, sumSq: 0 });
    s.n++;
    s.sum += total;
    s.sumSq += total * total;
  }
  return { exposures, identities, events, expected };
}

/** Creates exposures, events and identities (docs/workspace.md names) and inserts the population through bound parameters. */
export async function loadPopulation(w: Warehouse, pop: ReturnType<typeof population>): Promise<void> {
  const pg = w.dialect === "postgres";
  const p = (i: number) => (pg ? `$${i}::text` : `$${i}`);
  const time = (i: number) => `CAST(${p(i)} AS TIMESTAMP)`;
  await w.query("CREATE TABLE exposures (unit_id TEXT, experiment TEXT, variant TEXT, ts TIMESTAMP)");
  await w.query(`CREATE TABLE events (unit_id TEXT, event TEXT, ts TIMESTAMP, value ${pg ? "DOUBLE PRECISION" : "DOUBLE"}, event_id TEXT)`);
  await w.query("CREATE TABLE identities (anonymous_id TEXT, unit_id TEXT, ts TIMESTAMP)");
  const insert = async (sql: string, rows: string[][], row: (b: number) => string) => {
    const width = rows[0]!.length;
    await w.query(`${sql} VALUES ${rows.map((_, r) => row(r * width)).join(", ")}`, rows.flat());
  };
  await insert(
    "INSERT INTO exposures (unit_id, experiment, variant, ts)",
    pop.exposures.map((x) => [x.unit, "signup_wall", x.variant, csvTime(x.ts)]),
    (b) => `(${p(b + 1)}, ${p(b + 2)}, ${p(b + 3)}, ${time(b + 4)})`,
  );
  await insert(
    "INSERT INTO events (unit_id, event, ts, value, event_id)",
    pop.events.map((e) => [e.unit, "purchase", csvTime(e.ts), String(e.value), e.id]),
    (b) => `(${p(b + 1)}, ${p(b + 2)}, ${time(b + 3)}, CAST(${p(b + 4)} AS ${pg ? "DOUBLE PRECISION" : "DOUBLE"}), ${p(b + 5)})`,
  );
  await insert(
    "INSERT INTO identities (anonymous_id, unit_id, ts)",
    pop.identities.map((m) => [m.anonymous, m.user, csvTime(m.ts)]),
    (b) => `(${p(b + 1)}, ${p(b + 2)}, ${time(b + 3)})`,
  );
}
