import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ExpError } from "../diagnostics/errors.js";
import { DirectoryTarget } from "../plan/target/directory.js";
import type { ApiKey } from "../runtime/server/auth.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "../runtime/server/segment-files.js";
import { serverLog } from "../runtime/server/server-log.js";
import { MIN_TOKEN_SECRET_BYTES, startServer, type RunningServer } from "../runtime/server/server.js";
import type { Workspace } from "../workspace/model.js";
import { APP_CODES } from "./codes.js";
import { guardAdvancer, guardBreaker } from "./guard-breaker.js";
import { liveDefinitions } from "./live-definitions.js";
import { serverAlerts } from "./server-alerts.js";
import { serverPrivacy } from "./server-privacy.js";
import { serverPublisher } from "./server-publish.js";

export interface ServeRequest {
  port: number;
  host: string;
  /** Where ingested exposures and events go (absolute). */
  dataDir: string;
  keys: ApiKey[];
  noAuth: boolean;
  /** The exposure-token secret; by default EXP_TOKEN_SECRET, else the one kept in the data dir. */
  tokenSecret?: Buffer;
  compactEveryMs?: number;
  /** Ids per kind answered "duplicate" (docs/server-compaction.md). */
  dedupWindow?: number;
  clock?: () => number;
  env?: NodeJS.ProcessEnv;
  /** Log warnings and errors only, not a line per request (for a server embedded in a command's own output). */
  quiet?: boolean;
}

/**
 * Starts the runtime server of a workspace: a directory publish target is served as is; behind an
 * http target this server is the store itself (under the data dir). An address that cannot be
 * listened on is the user's to fix, not a bug.
 */
export async function serveWorkspace(ws: Workspace, o: ServeRequest): Promise<{ server: RunningServer; storeDir: string }> {
  const publish = ws.settings.runtime.publish;
  const storeDir = publish.type === "directory" ? resolve(ws.root, publish.path) : join(o.dataDir, "published");
  const privacy = serverPrivacy(ws, o.env ?? process.env);
  const alerts = serverAlerts(ws, o.env ?? process.env);
  const secret = o.tokenSecret ?? tokenSecret(o.dataDir, o.env ?? process.env);
  if (secret.length < MIN_TOKEN_SECRET_BYTES)
    throw ExpError.of(
      APP_CODES.badTokenSecret,
      `the exposure-token secret is ${secret.length} bytes long; it needs at least ${MIN_TOKEN_SECRET_BYTES}`,
      {
        suggestion: "pass a secret of at least 16 random bytes",
      },
    );
  // The server verifies every ruleset itself, on a worker thread within a time budget; the store
  // then only reads and writes, so that no verification runs on the server's event loop.
  const store = new DirectoryTarget(storeDir);
  try {
    const server = await startServer(
      {
        store,
        publisher: serverPublisher(store),
        breakGlass: guardBreaker(store),
        advanceStep: guardAdvancer(store),
        dataDir: o.dataDir,
        keys: o.keys,
        noAuth: o.noAuth,
        tokenSecret: secret,
        dedupWindow: o.dedupWindow,
        stickyExperiments: [...ws.experiments.values()].filter((e) => e.type === "bandit").map((e) => e.key),
        reportsDir: join(ws.root, "reports"),
        layout: ws.settings.warehouse,
        declarations: { attributes: ws.settings.attributes, events: ws.settings.events },
        compactEveryMs: o.compactEveryMs,
        clock: o.clock,
        privacy,
        liveDefinitions: liveDefinitions(ws),
        alerts,
        liveView: { srmThreshold: ws.settings.defaults.srm_threshold },
        ...(o.quiet ? { log: serverLog(undefined, undefined, "warn") } : {}),
      },
      o.port,
      o.host,
    );
    return { server, storeDir };
  } catch (err) {
    throw listenError(err, o.host, o.port) ?? err;
  }
}

function listenError(err: unknown, host: string, port: number): ExpError | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  const fail = (message: string, suggestion: string) => ExpError.of(APP_CODES.addressInUse, message, { suggestion, cause: err });
  if (code === "EADDRINUSE")
    return fail(`the address "${where}" is already in use by another process`, "stop that process, or pass another --port");
  if (code === "EACCES")
    return fail(`listening on "${where}" is not permitted`, "use a port above 1023, or run with the needed privileges");
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return fail(`the host "${host}" is not an address of this machine`, "pass --host 127.0.0.1, 0.0.0.0 or an address of this machine");
  return undefined;
}

/**
 * The exposure-token secret: EXP_TOKEN_SECRET, else one generated once and kept (0600, in a 0700
 * data dir) as hex. A secret too short to sign with (an empty EXP_TOKEN_SECRET included), or a kept
 * file that cannot be read or is not hex, is the user's to fix: starting with an empty key would
 * accept forged tokens.
 */
export function tokenSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env.EXP_TOKEN_SECRET;
  if (fromEnv !== undefined) {
    if (Buffer.byteLength(fromEnv) < MIN_TOKEN_SECRET_BYTES)
      throw ExpError.of(
        APP_CODES.badTokenSecret,
        `EXP_TOKEN_SECRET is ${Buffer.byteLength(fromEnv)} bytes long; it needs at least ${MIN_TOKEN_SECRET_BYTES}`,
        {
          suggestion: "set it to a long random string, e.g. $(openssl rand -hex 32)",
        },
      );
    return Buffer.from(fromEnv);
  }
  const file = join(dataDir, "token-secret");
  let text: string;
  try {
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
    try {
      writeFileSync(file, randomBytes(32).toString("hex"), { mode: PRIVATE_FILE, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    text = readFileSync(file, "utf8").trim();
  } catch (err) {
    throw ExpError.of(
      APP_CODES.badTokenSecret,
      `cannot read the exposure-token secret "${file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      {
        suggestion: "make it a readable file, or delete it to have a new one generated (tokens signed with the old one stop verifying)",
        cause: err,
      },
    );
  }
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(text) || text.length < MIN_TOKEN_SECRET_BYTES * 2)
    throw ExpError.of(
      APP_CODES.badTokenSecret,
      `the exposure-token secret "${file}" must hold at least ${MIN_TOKEN_SECRET_BYTES} bytes as hex`,
      {
        suggestion: "delete it to have a new one generated, or set EXP_TOKEN_SECRET",
      },
    );
  return Buffer.from(text, "hex");
}
