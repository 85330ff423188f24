import { planWorkspace } from "../app/plan-workspace.js";
import type { PreparedPlan } from "../plan/prepare.js";
import type { Workspace } from "../workspace/model.js";
import { currentTime } from "./clock.js";
import { valueOrFail } from "./shared.js";

/** The plan of the workspace for a command: compile errors are printed and end the command (exit 1). */
export async function preparePlanOrExit(ws: Workspace, now = currentTime()): Promise<PreparedPlan> {
  const r = await planWorkspace(ws, {
    now,
    onStaleLockBroken: (o) =>
      process.stderr.write(`note: removed a stale lock left by ${o.holder} (pid ${o.pid} on ${o.host}, since ${o.since})\n`),
  });
  return valueOrFail(r, ws.files);
}
