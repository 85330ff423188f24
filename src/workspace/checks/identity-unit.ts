import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SESSION_UNIT } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";

/** A session experiment attributes events by session, so the identity map (identity: anonymous) would be silently ignored. */
export const identityUnitCheck: Check = {
  name: "identity-unit",
  run({ workspace: ws }) {
    const out: Diagnostic[] = [];
    for (const e of [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
      if (e.identity !== "anonymous" || e.unit !== SESSION_UNIT) continue;
      out.push(
        diagnostic(
          C.identityUnit,
          `experiment "${e.key}" randomises sessions, so "identity: anonymous" has no effect (its events follow their session); remove identity or randomise another unit`,
          { span: e.origin.values.identity ?? e.origin.values.unit },
        ),
      );
    }
    return out;
  },
};
