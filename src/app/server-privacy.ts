import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ExpError } from "../diagnostics/errors.js";
import type { ServerPrivacy } from "../runtime/server/privacy/server-privacy.js";
import type { Workspace } from "../workspace/model.js";
import { APP_CODES } from "./codes.js";
import { unitIdKey } from "./unit-id-key.js";

/**
 * exp.yaml `privacy:` as the server applies it: the unit-id key, the opt-out list and the
 * retention. A missing or short secret, or an unreadable opt-out file, stops the command: the
 * server must not start storing what the workspace says it must not store.
 */
export function serverPrivacy(ws: Workspace, env: NodeJS.ProcessEnv = process.env): ServerPrivacy {
  const p = ws.settings.privacy;
  const key = unitIdKey(ws.settings, env);
  const problem = key.diagnostics.find((d) => d.severity === "error");
  if (problem) throw new ExpError(problem);
  return {
    ...(key.value ? { unitIdKey: key.value } : {}),
    ...(p.opt_out_file !== undefined ? { optOut: readOptOut(resolve(ws.root, p.opt_out_file)) } : {}),
    ...(p.retention ? { retentionMs: p.retention.seconds * 1000 } : {}),
  };
}

/** The unit ids of an opt-out file: one a line; blank lines and lines starting with # are skipped. */
export function readOptOut(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw ExpError.of(
      APP_CODES.optOutUnreadable,
      `cannot read the opt-out file "${path}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      { suggestion: "create it (one unit id a line), or fix privacy.opt_out_file in exp.yaml", cause: err },
    );
  }
  return new Set(
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#")),
  );
}
