import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { Evaluator } from "../runtime/evaluator.js";
import { interleave } from "../runtime/interleave.js";
import { INTERLEAVED_VARIANT } from "../runtime/sdk/interleaving-exposure.js";
import { Random } from "./random.js";

/** The demo's interleaving sessions: each ranker's items and how often a shown item of its team is clicked. */
export interface PlantedPreference {
  experiment: string;
  clickEvent: string;
  itemProperty: string;
  /** Click probability of a shown item, by the ranker that placed it: the preference to find. */
  clickRate: Record<string, number>;
  sessions: number;
  listsPerSession: number;
}

const DAY = 86_400_000;
const cell = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const iso = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/**
 * Appends to the demo CSVs the sessions of an interleaving experiment as `exp serve` would log them:
 * each enrolled session gets lists merged by the runtime's `interleave` (one exposure per list, with
 * the items' teams), and clicks on shown items at the planted per-ranker rates.
 */
export function appendInterleavingSessions(
  csvDir: string,
  evaluator: Evaluator,
  p: PlantedPreference,
  o: { seed: number; start: Date; days: number; phase: number },
): { exposures: number; events: number } {
  const rng = new Random(o.seed ^ 0x1eaf);
  const exposures: string[] = [];
  const events: string[] = [];
  const catalogue = (prefix: string) => Array.from({ length: 60 }, (_, i) => `${prefix}${i}`);
  const [itemsA, itemsB] = [catalogue("cf_"), catalogue("tt_")];
  const top = (items: string[]) => Array.from({ length: 6 }, () => items[rng.int(0, items.length)]!);
  for (let s = 0; s < p.sessions; s++) {
    const unit = { userId: `u${String(s).padStart(7, "0")}`, sessionId: `il${s}` };
    const at0 = o.start.getTime() + Math.floor(rng.next() * o.days * DAY);
    for (let k = 0; k < p.listsPerSession; k++) {
      const at = at0 + k * 60_000;
      const r = interleave(evaluator, p.experiment, unit, [...new Set(top(itemsA))], [...new Set(top(itemsB))], {
        requestId: `q${k}`,
        at,
      });
      if (!r.inExperiment) break;
      const metadata = { interleaving: { request: r.requestId, method: r.method, items: r.items, teams: r.teams } };
      exposures.push(
        [unit.userId, p.experiment, INTERLEAVED_VARIANT, iso(at), unit.sessionId, JSON.stringify(metadata), o.phase].map(cell).join(","),
      );
      r.items.forEach((item, i) => {
        if (rng.next() >= (p.clickRate[r.teams[i]!] ?? 0)) return;
        const properties = { position: i + 1, [p.itemProperty]: item };
        const ts = iso(at + rng.int(1, 50) * 1000);
        events.push(
          [unit.userId, unit.sessionId, p.clickEvent, ts, "", JSON.stringify(properties), `il_${s}_${k}_${i}`].map(cell).join(","),
        );
      });
    }
  }
  if (exposures.length) appendFileSync(join(csvDir, "exposures.csv"), `${exposures.join("\n")}\n`);
  if (events.length) appendFileSync(join(csvDir, "events.csv"), `${events.join("\n")}\n`);
  return { exposures: exposures.length, events: events.length };
}
