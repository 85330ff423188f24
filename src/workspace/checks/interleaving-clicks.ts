import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { didYouMean } from "../../diagnostics/suggest.js";
import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";

/**
 * An interleaving experiment credits its rankers with clicks: events named by `click_event` whose
 * `item_property` holds the clicked item. Both must be declared in exp.yaml, or the warehouse has
 * nothing to join the exposure's teams to (docs/analysis.md#interleaving).
 */
export const interleavingClicksCheck: Check = {
  name: "interleaving-clicks",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    const events = ws.settings.events;
    for (const e of [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      if (e.type !== "interleaving") continue;
      const clicks = e.interleaving_clicks;
      if (!clicks) {
        out.push(
          diagnostic(
            C.interleavingNoClicks,
            `interleaving experiment "${e.key}" names no "click_event", so its analysis cannot credit either ranker; add click_event and item_property`,
            { span: e.origin.keys.rankers ?? e.origin.values[""] },
          ),
        );
        continue;
      }
      const declared = events[clicks.event];
      if (declared === undefined) {
        out.push(
          diagnostic(
            C.interleavingClicks,
            `unknown event "${clicks.event}"; declare it under "events" in exp.yaml or name a declared event`,
            {
              span: e.origin.values.click_event,
              suggestion: didYouMean(clicks.event, Object.keys(events)),
            },
          ),
        );
      } else if (clicks.item_property === undefined) {
        out.push(
          diagnostic(
            C.interleavingClicks,
            `"click_event" needs "item_property": the property of "${clicks.event}" that holds the clicked item's id`,
            {
              span: e.origin.keys.click_event,
            },
          ),
        );
      } else if (declared[clicks.item_property] === undefined) {
        out.push(
          diagnostic(
            C.interleavingClicks,
            `event "${clicks.event}" declares no property "${clicks.item_property}"; declare it in exp.yaml (item_id: string) or name a declared property`,
            { span: e.origin.values.item_property, suggestion: didYouMean(clicks.item_property, Object.keys(declared)) },
          ),
        );
      }
    }
    return out;
  },
};
