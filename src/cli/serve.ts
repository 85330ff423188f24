import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { ExpError } from "../diagnostics/errors.js";
import { SCOPES, type ApiKey } from "../runtime/server/auth.js";
import { serveWorkspace } from "../app/serve.js";
import { currentTime } from "./clock.js";
import { CLI_CODES } from "./codes.js";
import { action } from "./run.js";
import { badOption, loadWorkspaceOrExit, withWorkspaceOptions } from "./shared.js";

interface ServeOptions {
  dir?: string;
  port: string;
  host: string;
  dataDir: string;
  keys?: string;
  auth: boolean;
  compactEvery?: string;
  dedupWindow?: string;
}

export function registerServe(program: Command): void {
  withWorkspaceOptions(
    program
      .command("serve")
      .description("run the runtime HTTP server: evaluation, ruleset publishing, exposure and event ingestion (docs/http-api.md)")
      .option("--port <port>", "port to listen on", "8080")
      .option("--host <host>", "address to bind", "127.0.0.1")
      .option("--data-dir <dir>", "where ingested exposures and events are written", ".exp/server")
      .option(
        "--keys <file>",
        'JSON list of API keys: [{"name", "sha256", "scopes": ["evaluate", "ingest", "reports:read", "ruleset:write", "overrides"]}]',
      )
      .option(
        "--compact-every <seconds>",
        "every so often, close the current segments and compact closed ones into Parquet under <data-dir>/parquet/",
      )
      .option(
        "--dedup-window <ids>",
        "how many recent ids per kind are answered as duplicates (older duplicates are removed at compaction)",
        "1000000",
      )
      .option("--no-auth", "accept requests without a bearer token (local development only)"),
  ).action(
    action(async (opts: ServeOptions) => {
      const ws = await loadWorkspaceOrExit(opts);
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw badOption(`--port must be a port number, not "${opts.port}"`);
      const compactEvery = opts.compactEvery === undefined ? undefined : Number(opts.compactEvery);
      if (compactEvery !== undefined && !(compactEvery > 0))
        throw badOption(`--compact-every must be a positive number of seconds, not "${opts.compactEvery}"`);
      const dedupWindow = Number(opts.dedupWindow);
      if (!Number.isSafeInteger(dedupWindow) || dedupWindow < 1)
        throw badOption(`--dedup-window must be a positive whole number of ids, not "${opts.dedupWindow}"`);
      const keys = opts.keys ? readKeys(resolve(process.cwd(), opts.keys)) : [];
      if (opts.auth && keys.length === 0)
        throw ExpError.of(CLI_CODES.badKeys, "no API keys are configured", {
          suggestion: "pass --keys <file> (SHA-256 hashes with scopes), or --no-auth for local development",
        });
      const dataDir = resolve(ws.root, opts.dataDir);
      // With EXP_NOW the server's clock starts at that instant and runs on from there (replays, CI).
      const offset = process.env.EXP_NOW ? currentTime().getTime() - Date.now() : 0;
      const { server, storeDir } = await serveWorkspace(ws, {
        port,
        host: opts.host,
        dataDir,
        keys,
        noAuth: !opts.auth,
        compactEveryMs: compactEvery === undefined ? undefined : compactEvery * 1000,
        dedupWindow,
        clock: offset === 0 ? undefined : () => Date.now() + offset,
      });
      process.stdout.write(
        `exp serve: listening on ${server.url} (rulesets from ${storeDir}, data in ${dataDir})${opts.auth ? "" : " — authentication is OFF"}\n`,
      );
      await new Promise<void>((done) => {
        const stop = () => void server.close().then(done);
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      return 0;
    }),
  );
}

function readKeys(path: string): ApiKey[] {
  const bad = (message: string, suggestion?: string) => ExpError.of(CLI_CODES.badKeys, message, { suggestion });
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw bad(`cannot read the keys file "${path}" (${(err as Error).message})`);
  }
  if (!Array.isArray(list)) throw bad(`the keys file "${path}" must hold a JSON list`);
  return list.map((k, i) => {
    const o = k as Partial<ApiKey>;
    if (typeof o.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.sha256))
      throw bad(`key ${i + 1} in "${path}" needs "sha256": the hex SHA-256 of the key`);
    const scopes = Array.isArray(o.scopes) ? o.scopes : [];
    const unknown = scopes.find((s) => !SCOPES.includes(s));
    if (unknown !== undefined) throw bad(`key ${i + 1} in "${path}" has unknown scope "${unknown}"`, `scopes: ${SCOPES.join(", ")}`);
    return { name: o.name ?? `key${i + 1}`, sha256: o.sha256, scopes };
  });
}
