import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { ANALYSIS_CODES } from "./codes.js";
import { plannedUnits } from "./planned-sample.js";

/**
 * Which look of a group-sequential design an analysis is, and where it sits on the spending
 * function. Looks are evenly spaced in calendar time over the schedule: look k is reached at
 * start + k·(end − start)/K, and the current look is the last one reached (at least 1, at most K).
 * The information fraction is the share of the planned sample reached (units so far / the sample
 * size `power` asks for) when the experiment declares enough of a power design to size it, and the
 * share of the schedule elapsed otherwise. The final look spends all of α (fraction 1), however
 * many units arrived.
 */
export interface LookPlan {
  readonly looks: number;
  readonly look: number;
  readonly informationFraction: number;
  readonly basis: "sample" | "calendar";
  /** A sentence for the analysis notes saying how the look was chosen. */
  readonly note: string;
}

export interface LookResult {
  readonly plan?: LookPlan;
  /** Why there is no plan (the analysis then reports fixed-horizon inference). */
  readonly diagnostics: Diagnostic[];
}

const day = (iso: string) => iso.slice(0, 10);

export function groupSequentialLook(workspace: Workspace, experiment: Experiment, units: number, asOf: Date): LookResult {
  const looks = experiment.analysis.looks;
  const span = experiment.origin.values["analysis.looks"] ?? experiment.origin.values["analysis"] ?? experiment.origin.values[""];
  const unplanned = (message: string): LookResult => ({
    diagnostics: [diagnostic(ANALYSIS_CODES.noLookPlan, `${message}; fixed-horizon inference is reported.`, { span })],
  });
  if (looks === undefined || !Number.isInteger(looks) || looks < 1) {
    return unplanned(`Experiment "${experiment.key}" uses method group_sequential without "looks" in its analysis block`);
  }
  const { start, end } = experiment.schedule;
  if (!start || !end) {
    return unplanned(
      `Experiment "${experiment.key}" has no schedule ${start ? "end" : "start"} date, so the analysis cannot tell which of its ${looks} looks this is`,
    );
  }
  const from = Date.parse(start),
    to = Date.parse(end),
    now = asOf.getTime();
  if (!(to > from)) return unplanned(`Experiment "${experiment.key}" ends (${end}) before it starts (${start})`);
  if (!(now > from)) return unplanned(`The analysis time ${asOf.toISOString()} is not after the start of "${experiment.key}" (${start})`);
  const elapsed = Math.min(1, (now - from) / (to - from));
  const look = Math.min(looks, Math.max(1, Math.floor(looks * elapsed)));
  const planned = plannedUnits(workspace, experiment);
  const basis = planned !== undefined ? "sample" : "calendar";
  let fraction = planned !== undefined ? Math.min(1, units / planned) : elapsed;
  if (look === looks) fraction = 1;
  if (!(fraction > 0)) return unplanned(`Experiment "${experiment.key}" has no units yet at look ${look} of ${looks}`);
  const how =
    look === looks
      ? "the final look spends all of α"
      : basis === "sample"
        ? `information fraction ${fraction.toFixed(4)} = ${units} units of the ${planned} the power design needs`
        : `information fraction ${fraction.toFixed(4)} = the share of the schedule elapsed (no power design to size the sample)`;
  const note =
    `Group-sequential look ${look} of ${looks}: looks evenly spaced in calendar time from ${day(start)} to ${day(end)}, ` +
    `as of ${asOf.toISOString()}; ${how}. Earlier looks are taken as equally spaced in information.`;
  return { plan: { looks, look, informationFraction: fraction, basis, note }, diagnostics: [] };
}
