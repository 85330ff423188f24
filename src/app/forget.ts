import { existsSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { deleteUnitsFromDuckDb } from "../analysis/forget-units.js";
import { ExpError } from "../diagnostics/errors.js";
import { resolveActor } from "../plan/audit-actor.js";
import { appendForgetAudit, forgetAuditPath } from "../runtime/server/privacy/forget-audit.js";
import { forgetUnits as forgetInDataDir, type ForgetReport } from "../runtime/server/privacy/forget-units.js";
import { storedIdDigest, unitIdHash } from "../runtime/server/privacy/unit-id-hash.js";
import type { Workspace } from "../workspace/model.js";
import { APP_CODES } from "./codes.js";
import { unitIdKey } from "./unit-id-key.js";

export interface ForgetRequest {
  /** Unit ids as the application knows them (raw). */
  units: string[];
  /** The data dir of exp serve (absolute). */
  dataDir: string;
  /** DuckDB connections of exp.yaml to delete from; by default every `duckdb` connection with a `path` whose file exists. */
  connections?: string[];
  /** Also rewrite the newest segment of each kind (only when no server is writing to it). */
  includeCurrent?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface ForgetResult {
  /** How the units are named in the tombstones and the audit: SHA-256 of their stored ids. */
  digests: string[];
  dataDir: ForgetReport;
  warehouses: { connection: string; exposures: number; events: number; identities: number }[];
  /** The audit log the record was appended to. */
  audit: string;
}

/**
 * `exp forget` (docs/privacy.md): the units' stored ids are derived as the server derives them
 * (keyed hash with `hash_unit_ids`), their rows are removed from the data dir (tombstones first,
 * so compaction keeps them out later) and from the DuckDB warehouses, and an audit record naming
 * them by digest only is appended to the data dir.
 */
export async function forgetUnits(ws: Workspace, req: ForgetRequest): Promise<ForgetResult> {
  const key = unitIdKey(ws.settings, req.env ?? process.env);
  const problem = key.diagnostics.find((d) => d.severity === "error");
  if (problem) throw new ExpError(problem);
  if (!existsSync(req.dataDir))
    throw ExpError.of(APP_CODES.dataDirMissing, `the data dir "${req.dataDir}" does not exist`, {
      suggestion: "pass the --data-dir that exp serve writes to",
    });
  const hash = key.value ? unitIdHash(key.value) : (u: string) => u;
  const stored = [...new Set(req.units)].map(hash);
  const dataDir = await forgetInDataDir(req.dataDir, ws.settings.warehouse, stored, { includeCurrent: req.includeCurrent });
  const warehouses: ForgetResult["warehouses"] = [];
  for (const [name, path] of duckDbFiles(ws, req.connections))
    warehouses.push({ connection: name, ...(await deleteUnitsFromDuckDb(path, ws.settings.warehouse, stored)) });
  const digests = stored.map(storedIdDigest);
  await appendForgetAudit(req.dataDir, {
    ts: (req.now ?? (() => new Date()))().toISOString(),
    actor: await resolveActor(ws.root, req.env),
    units: digests,
    removed: { ...dataDir, warehouses },
  });
  return { digests, dataDir, warehouses, audit: forgetAuditPath(req.dataDir) };
}

/** The DuckDB files to delete from: the named connections, or every duckdb `path:` connection whose file exists. */
function duckDbFiles(ws: Workspace, names: string[] | undefined): [string, string][] {
  const all = ws.settings.warehouse.connections;
  const fileOf = (path: string) => (isAbsolute(path) ? path : resolve(ws.root, path));
  if (names === undefined)
    return Object.entries(all).flatMap(([name, c]) =>
      c.type === "duckdb" && c.path && c.path !== ":memory:" && existsSync(fileOf(c.path))
        ? [[name, fileOf(c.path)] as [string, string]]
        : [],
    );
  return names.map((name) => {
    const c = Object.hasOwn(all, name) ? all[name] : undefined;
    if (!c || c.type !== "duckdb" || !c.path)
      throw ExpError.of(APP_CODES.notDuckDbFile, `the connection "${name}" is not a DuckDB database file`, {
        suggestion: "name a connection of exp.yaml with type: duckdb and a path; delete the units from other warehouses there",
      });
    return [name, fileOf(c.path)];
  });
}
