import { compileCondition, type Attributes, type Test } from "../../condition.js";
import type { EventRecord, ExposureRecord } from "../records.js";
import type { LiveAggregate, LiveDefinitions, LiveExperiment } from "./definitions.js";
import { PhaseStats } from "./phase-stats.js";
import { unitLayout, type MetricLayout, type UnitLayout } from "./unit-layout.js";

/** An experiment's live statistics, one PhaseStats per phase seen in its exposures. */
export interface ExperimentLive {
  readonly key: string;
  readonly definition: LiveExperiment | undefined;
  readonly layout: UnitLayout;
  readonly phases: Map<number, PhaseStats>;
  /** The same, as an array: an event walks it without allocating an iterator. */
  readonly phaseList: PhaseStats[];
}

/** One aggregate that an event name feeds. */
interface Subscriber {
  readonly experiment: ExperimentLive;
  readonly metric: MetricLayout;
  readonly index: number;
  readonly aggregate: LiveAggregate;
  readonly test: Test | undefined;
}

/** Filters read event properties only: nothing else of a ruleset can be asked. */
const NO_SCOPE = {
  segment: (): Test => () => false,
  variantOf: () => null,
};

/**
 * The server's live sufficient statistics (docs/http-api.md#live-summary), fed with every
 * exposure and event the sinks accept (after deduplication and privacy hashing, so a rebuild from
 * the data dir sees the same ids). An event costs one Map lookup by its name when no live metric
 * reads it, and otherwise a unit lookup and a few additions per aggregate it feeds.
 */
export class LiveStats {
  private readonly experiments = new Map<string, ExperimentLive>();
  private readonly byEvent = new Map<string, Subscriber[]>();
  private readonly excluded: ReadonlyMap<string, ReadonlySet<string>>;

  /**
   * `unitKey` maps an exp.yaml unit id to what is stored (the keyed hash when unit ids are hashed),
   * so that QA override units are recognised in the records.
   */
  constructor(
    readonly definitions: LiveDefinitions | undefined,
    unitKey: (id: string) => string = (id) => id,
  ) {
    const excluded = new Map<string, ReadonlySet<string>>();
    for (const [key, e] of Object.entries(definitions?.experiments ?? {})) {
      const live = this.experiment(key);
      if (e.excludedUnits.length > 0) excluded.set(key, new Set(e.excludedUnits.map(unitKey)));
      for (const metric of live.layout.metrics)
        metric.plan.aggregates.forEach((aggregate, index) => {
          const test = aggregate.where ? compileCondition(aggregate.where, NO_SCOPE) : undefined;
          const list = this.byEvent.get(aggregate.event) ?? [];
          list.push({ experiment: live, metric, index, aggregate, test });
          this.byEvent.set(aggregate.event, list);
        });
    }
    this.excluded = excluded;
  }

  /** The event names some live metric reads. */
  eventNames(): string[] {
    return [...this.byEvent.keys()];
  }

  /** The live state of an experiment phase; undefined before its first exposure. */
  phase(experiment: string, phase: number): PhaseStats | undefined {
    return this.experiments.get(experiment)?.phases.get(phase);
  }

  /** The experiment's definition, when the server was given one. */
  definition(experiment: string): LiveExperiment | undefined {
    return this.experiments.get(experiment)?.definition;
  }

  exposures(records: readonly ExposureRecord[]): void {
    for (const r of records) this.exposure(r);
  }

  exposure(r: ExposureRecord): void {
    const e = this.experiment(r.experiment);
    const unit = e.definition?.sessionUnit ? r.session_id : r.unit_id;
    if (!unit || this.excluded.get(r.experiment)?.has(r.unit_id)) return;
    let phase = e.phases.get(r.phase);
    if (!phase) {
      e.phases.set(r.phase, (phase = new PhaseStats(e.layout)));
      e.phaseList.push(phase);
    }
    phase.expose(unit, r.variant, Date.parse(r.ts));
  }

  events(records: readonly EventRecord[]): void {
    for (const r of records) this.event(r);
  }

  event(r: EventRecord): void {
    const subscribers = this.byEvent.get(r.event);
    if (subscribers === undefined) return;
    const at = Date.parse(r.ts);
    const properties = r.properties as Attributes | null;
    for (const s of subscribers) {
      const unit = s.experiment.definition!.sessionUnit ? r.session_id : r.unit_id;
      if (!unit) continue;
      const name = s.aggregate.property;
      const x = name === undefined ? NaN : name === "value" ? (r.value ?? NaN) : numberOf(properties?.[name]);
      // SQL ignores a missing value: the event does not count for an aggregate that reads one.
      if (name !== undefined && Number.isNaN(x)) continue;
      const phases = s.experiment.phaseList;
      for (let i = 0; i < phases.length; i++) phases[i]!.event(unit, s.metric, s.index, s.aggregate, x, at, s.test, properties);
    }
  }

  private experiment(key: string): ExperimentLive {
    let e = this.experiments.get(key);
    if (!e) {
      const definition = this.definitions?.experiments[key];
      // Own keys only: an exposure to "constructor" is not an experiment with a definition.
      const own = definition && Object.hasOwn(this.definitions!.experiments, key) ? definition : undefined;
      this.experiments.set(key, (e = { key, definition: own, layout: unitLayout(own), phases: new Map(), phaseList: [] }));
    }
    return e;
  }
}

/** A property as a number, as the SQL's TRY_CAST reads it; NaN when it is not one. */
function numberOf(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return NaN;
}
