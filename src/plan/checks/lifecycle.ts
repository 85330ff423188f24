import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Experiment, ExperimentStatus } from "../../workspace/model.js";
import { checkCodes as C } from "./codes.js";
import type { PlanCheck, PublishedExperiment } from "./context.js";
import { locate } from "./locate.js";

type From = ExperimentStatus | "new";

/**
 * Allowed status transitions, published (rows) → desired (columns). "phase" means allowed only
 * with a phase bump: a stopped experiment's units already saw a variant, so re-running it on the
 * same seeds would silently mix old and new exposures.
 *
 *   from \ to   draft  running  paused  stopped  archived
 *   new         ok     ok       -       ok       ok        (stopped/archived: adopting a finished test)
 *   draft       ok     ok       -       -        ok
 *   running     -      ok       ok      ok       -         (stop before archiving)
 *   paused      -      ok       ok      ok       -
 *   stopped     -      phase    -       ok       ok
 *   archived    -      -        -       -        ok        (final)
 */
export const TRANSITIONS: Record<From, Record<ExperimentStatus, "ok" | "phase" | "no">> = {
  new: { draft: "ok", running: "ok", paused: "no", stopped: "ok", archived: "ok" },
  draft: { draft: "ok", running: "ok", paused: "no", stopped: "no", archived: "ok" },
  running: { draft: "no", running: "ok", paused: "ok", stopped: "ok", archived: "no" },
  paused: { draft: "no", running: "ok", paused: "ok", stopped: "ok", archived: "no" },
  stopped: { draft: "no", running: "phase", paused: "no", stopped: "ok", archived: "ok" },
  archived: { draft: "no", running: "no", paused: "no", stopped: "no", archived: "ok" },
};

const ADVICE: Partial<Record<From, string>> = {
  new: "publish it as draft or running first",
  draft: "start it (running) first, or archive it",
  running: "stop it first",
  paused: "stop it first",
  stopped: "copy it to a new experiment key instead",
  archived: "an archived experiment is final; copy it to a new experiment key instead",
};

/** Status transitions against what is published, and schedules that make no sense for what is being started. */
export const lifecycleCheck: PlanCheck = {
  name: "lifecycle",
  run(ctx) {
    const out: Diagnostic[] = [];
    const experiments = [...ctx.desired.experiments.values()].sort((a, b) => a.key.localeCompare(b.key));
    for (const e of experiments) {
      const published = ctx.published?.experiments.get(e.key);
      out.push(...transition(e, published), ...schedule(e, published, ctx.now));
    }
    return out;
  },
};

function transition(e: Experiment, published: PublishedExperiment | undefined): Diagnostic[] {
  const from: From = published?.status ?? "new";
  const verdict = TRANSITIONS[from][e.status];
  const span = locate(e.origin, "status", "experiment");
  if (verdict === "no") {
    const was = from === "new" ? "a new experiment" : `published as ${from}`;
    return [diagnostic(C.transitionRefused, `experiment "${e.key}" cannot go to ${e.status}: it is ${was}; ${ADVICE[from]}`, { span })];
  }
  if (verdict === "phase" && published && e.phase <= published.phase) {
    return [
      diagnostic(
        C.restartNeedsPhase,
        `experiment "${e.key}" was stopped in phase ${published.phase}; set phase: ${published.phase + 1} to run it again on fresh assignments`,
        { span: locate(e.origin, "phase", "status"), related: span ? [{ message: "restarted here", span }] : [] },
      ),
    ];
  }
  return [];
}

function schedule(e: Experiment, published: PublishedExperiment | undefined, now: Date): Diagnostic[] {
  if (e.status !== "running") return [];
  const start = e.schedule.start === undefined ? undefined : Date.parse(e.schedule.start);
  const end = e.schedule.end === undefined ? undefined : Date.parse(e.schedule.end);
  const starting = published?.status !== "running";
  const t = now.getTime();
  if (end !== undefined && end <= t) {
    const d = starting ? C.scheduleEnded : C.runningPastEnd;
    const message = starting
      ? `experiment "${e.key}" would start running but its schedule ended at ${e.schedule.end}; move schedule.end into the future`
      : `experiment "${e.key}" is running past the end of its schedule (${e.schedule.end}); set status: stopped`;
    return [diagnostic(d, message, { span: locate(e.origin, "schedule.end", "schedule", "status") })];
  }
  if (published === undefined && start !== undefined && start < t) {
    return [
      diagnostic(
        C.scheduleStartPast,
        `new experiment "${e.key}" has a schedule starting in the past (${e.schedule.start}); it starts when applied, so set schedule.start to the launch time`,
        { span: locate(e.origin, "schedule.start", "schedule", "status") },
      ),
    ];
  }
  return [];
}
