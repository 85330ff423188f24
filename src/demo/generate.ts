import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Settings } from "../workspace/model.js";
import { attributeValue, baseRate, propertyValue } from "./population.js";
import { Random } from "./random.js";

/**
 * A planted effect: units in `variant` of `experiment` do `event` at `rate`× the base rate, or with a
 * property scaled by `factor`; with `when`, only the units whose attribute has that value.
 */
export interface PlantedEffect {
  experiment: string;
  variant: string;
  event: string;
  rate?: number;
  property?: string;
  factor?: number;
  when?: { attribute: string; value: unknown };
}

export interface DemoDataOptions {
  units: number;
  seed: number;
  /** First day of the experiment data (UTC midnight). */
  start: Date;
  days: number;
  /** Days of pre-exposure history (the CUPED look-back). */
  historyDays: number;
  effects: PlantedEffect[];
  /** Everything shipped outside a holdout: units not in it do `event` at `rate`× from their first visit. */
  shipped?: { inHoldout(unit: string): boolean; event: string; rate: number };
  /** Logging loss in one variant: the sample-ratio mismatch the analysis must flag. */
  srm?: { experiment: string; variant: string; dropShare: number };
  /** Running experiments whose exposures are logged, with their variant keys. */
  experiments: Record<string, string[]>;
  /** The published phase of each experiment, written with every exposure as exp serve writes it (default 1). */
  phases?: Record<string, number>;
  assign(experiment: string, unit: string, attributes: Record<string, unknown>, atMs: number): string | null;
  /** Event → a property left out here: the interleaved sessions (interleaving.ts) write it, with shown items. */
  itemProperties?: Record<string, string>;
}

export interface DemoDataCounts {
  units: number;
  exposures: number;
  events: number;
}

const DAY = 86_400_000;

/**
 * Writes exposures.csv and events.csv (docs/workspace.md warehouse shape) for a synthetic shop: each unit has a
 * latent activity level that drives both its pre-period and in-experiment behaviour (the signal CUPED
 * uses), is exposed at its first visit to every running experiment that enrols it, and behaves
 * according to the planted effects of the variants it sees, from its exposure on.
 */
export function generateDemoData(settings: Settings, dir: string, o: DemoDataOptions): DemoDataCounts {
  mkdirSync(dir, { recursive: true });
  const rng = new Random(o.seed);
  const exposures = new CsvWriter(join(dir, "exposures.csv"), "unit_id,experiment,variant,ts,session_id,attributes,phase");
  const events = new CsvWriter(join(dir, "events.csv"), "unit_id,session_id,event,ts,value,properties,event_id");
  const t0 = o.start.getTime();
  const eventNames = Object.keys(settings.events);
  const rates = eventNames.map(baseRate);
  let eventSeq = 0;
  let exposureRows = 0;

  for (let i = 0; i < o.units; i++) {
    const unit = `u${String(i).padStart(7, "0")}`;
    const attributes: Record<string, unknown> = {};
    for (const [name, type] of Object.entries(settings.attributes)) attributes[name] = attributeValue(name, type, rng, DAY, t0);
    const activity = rng.lognormal(-0.2, 0.6);
    const firstVisit = t0 + Math.floor(rng.next() * Math.min(o.days, 14) * DAY);

    // Exposures, and the effects this unit will feel from its exposure on.
    const multipliers = new Map<string, number>();
    const attrs = JSON.stringify(attributes);
    for (const [exp, variants] of Object.entries(o.experiments)) {
      const phase = o.phases?.[exp] ?? 1;
      const variant = o.assign(exp, unit, attributes, firstVisit);
      if (variant === null) continue;
      const dropped = o.srm && o.srm.experiment === exp && o.srm.variant === variant && rng.next() < o.srm.dropShare;
      if (!dropped) {
        exposures.row([unit, exp, variant, iso(firstVisit), `s${i}_0`, attrs, phase]);
        exposureRows++;
        if (rng.next() < 0.3) {
          exposures.row([unit, exp, variant, iso(firstVisit + rng.int(1, 5) * DAY), `s${i}_1`, attrs, phase]);
          exposureRows++;
        }
        // A few units reach a second variant (a client bug): the analysis must exclude them.
        if (rng.next() < 0.002 && variants.length > 1) {
          exposures.row([unit, exp, variants.find((v) => v !== variant)!, iso(firstVisit + rng.int(1, 3) * DAY), `s${i}_2`, attrs, phase]);
          exposureRows++;
        }
      }
      for (const e of o.effects) {
        if (e.experiment !== exp || e.variant !== variant) continue;
        if (e.when && attributes[e.when.attribute] !== e.when.value) continue;
        const k = e.property ? `${e.event}.${e.property}` : e.event;
        multipliers.set(k, (multipliers.get(k) ?? 1) * (e.property ? (e.factor ?? 1) : (e.rate ?? 1)));
      }
    }

    if (o.shipped && !o.shipped.inHoldout(unit)) multipliers.set(o.shipped.event, (multipliers.get(o.shipped.event) ?? 1) * o.shipped.rate);

    // One Poisson draw per unit and event over the whole period, then uniform times: the rate in force
    // at each time is applied by thinning (draw at the larger rate, keep with the ratio).
    const from = t0 - o.historyDays * DAY;
    const span = (o.days + o.historyDays) * DAY;
    for (let k = 0; k < eventNames.length; k++) {
      const event = eventNames[k]!;
      const m = multipliers.get(event) ?? 1;
      const top = Math.max(1, m);
      const n = rng.poisson(rates[k]! * activity * top * (o.days + o.historyDays));
      for (let j = 0; j < n; j++) {
        const ts = from + Math.floor(rng.next() * span);
        if (m !== 1 && rng.next() >= (ts >= firstVisit ? m : 1) / top) continue;
        const properties: Record<string, unknown> = {};
        for (const [p, type] of Object.entries(settings.events[event] ?? {})) {
          if (o.itemProperties?.[event] === p) continue;
          let v = propertyValue(p, type, rng);
          const f = ts >= firstVisit ? multipliers.get(`${event}.${p}`) : undefined;
          if (f !== undefined && typeof v === "number") v = Math.round(v * f * 100) / 100;
          properties[p] = v;
        }
        const value = typeof properties.revenue === "number" ? properties.revenue : "";
        const day = Math.floor((ts - t0) / DAY);
        events.row([unit, `s${i}_${day}`, event, iso(ts), value, JSON.stringify(properties), `e${++eventSeq}`]);
      }
    }
  }
  exposures.close();
  events.close();
  return { units: o.units, exposures: exposureRows, events: eventSeq };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** Buffered CSV writing: millions of rows without building one giant string. */
class CsvWriter {
  private fd: number;
  private buf: string[] = [];
  constructor(path: string, header: string) {
    this.fd = openSync(path, "w");
    this.buf.push(header);
  }
  row(cells: (string | number)[]): void {
    this.buf.push(cells.map(csvCell).join(","));
    if (this.buf.length >= 20_000) this.flush();
  }
  private flush(): void {
    writeSync(this.fd, `${this.buf.join("\n")}\n`);
    this.buf = [];
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
