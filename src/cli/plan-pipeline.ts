import { toDiagnosticReport } from "../diagnostics/json.js";
import { renderDiagnosticsText } from "../diagnostics/render.js";
import { painterFor } from "../diagnostics/style.js";
import { headCommit } from "../gitops/commit.js";
import { openTarget, preparePlan as prepare, verifier, type PreparedPlan } from "../plan/prepare.js";
import type { Workspace } from "../workspace/model.js";
import { currentTime } from "./clock.js";
import { UserError } from "./errors.js";

export { openTarget, verifier };

/** The plan of the workspace for a command: compile errors are printed and end the command (exit 1). */
export async function preparePlan(ws: Workspace, now = currentTime()): Promise<PreparedPlan> {
  const r = await prepare(ws, {
    now,
    sourceCommit: await headCommit(ws.root),
    target: openTarget(ws, (o) =>
      process.stderr.write(`note: removed a stale lock left by ${o.holder} (pid ${o.pid} on ${o.host}, since ${o.since})\n`),
    ),
  });
  if (r.prepared) return r.prepared;
  process.stderr.write(renderDiagnosticsText(toDiagnosticReport(r.diagnostics), (f) => ws.files.get(f), painterFor(process.stderr)));
  throw new UserError("the workspace does not compile to a ruleset; fix the errors above and run again");
}
