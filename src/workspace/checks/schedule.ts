import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";
import { diagnostic } from "../../diagnostics/diagnostic.js";

/** A schedule's start comes before its end. */
export const scheduleCheck: Check = {
  name: "schedule",
  run({ workspace: ws }) {
    return [...ws.experiments.values()]
      .filter(
        (e) => e.schedule.start !== undefined && e.schedule.end !== undefined && Date.parse(e.schedule.start) >= Date.parse(e.schedule.end),
      )
      .map((e) =>
        diagnostic(
          C.scheduleOrder,
          `schedule of "${e.key}" ends (${e.schedule.end!.replace(".000Z", "Z")}) before or when it starts (${e.schedule.start!.replace(".000Z", "Z")}); move the end after the start`,
          {
            span: e.origin.values["schedule.end"],
            related: e.origin.values["schedule.start"] ? [{ message: "start is here", span: e.origin.values["schedule.start"]! }] : [],
          },
        ),
      );
  },
};
