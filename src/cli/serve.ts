import type { Command } from "commander";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { verifyRuleset } from "../compiler/ruleset/verify.js";
import { DirectoryTarget } from "../plan/target/directory.js";
import { SCOPES, type ApiKey } from "../runtime/server/auth.js";
import { startServer } from "../runtime/server/server.js";
import { currentTime } from "./clock.js";
import { UserError } from "./errors.js";
import { verifier } from "../plan/prepare.js";
import { action } from "./run.js";
import { loadWorkspaceOrExit, withWorkspaceOptions } from "./shared.js";

export function registerServe(program: Command): void {
  withWorkspaceOptions(
    program
      .command("serve")
      .description("run the runtime HTTP server: evaluation, ruleset publishing, exposure and event ingestion (SPEC §9)")
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
      .option("--no-auth", "accept requests without a bearer token (local development only)"),
  ).action(
    action(
      async (opts: { dir?: string; port: string; host: string; dataDir: string; keys?: string; auth: boolean; compactEvery?: string }) => {
        const ws = await loadWorkspaceOrExit(opts);
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a port number, not "${opts.port}"`);
        const compactEvery = opts.compactEvery === undefined ? undefined : Number(opts.compactEvery);
        if (compactEvery !== undefined && !(compactEvery > 0))
          throw new UserError(`--compact-every must be a positive number of seconds, not "${opts.compactEvery}"`);
        const keys = opts.keys ? readKeys(resolve(process.cwd(), opts.keys)) : [];
        if (opts.auth && keys.length === 0)
          throw new UserError(
            "no API keys are configured",
            1,
            "pass --keys <file> (SHA-256 hashes with scopes), or --no-auth for local development",
          );
        const publish = ws.settings.runtime.publish;
        const dataDir = resolve(ws.root, opts.dataDir);
        // A directory target is served as is; behind an http target this server is the store itself.
        const storeDir = publish.type === "directory" ? resolve(ws.root, publish.path) : join(dataDir, "published");
        // With EXP_NOW the server's clock starts at that instant and runs on from there (replays, CI).
        const offset = process.env.EXP_NOW ? currentTime().getTime() - Date.now() : 0;
        const clock = offset === 0 ? undefined : () => Date.now() + offset;
        const server = await startServer(
          {
            store: new DirectoryTarget(storeDir, { verify: verifier }),
            dataDir,
            keys,
            noAuth: !opts.auth,
            tokenSecret: tokenSecret(dataDir),
            verify: verifyRuleset,
            reportsDir: join(ws.root, "reports"),
            layout: ws.settings.warehouse,
            compactEveryMs: compactEvery === undefined ? undefined : compactEvery * 1000,
            clock,
          },
          port,
          opts.host,
        );
        process.stdout.write(
          `exp serve: listening on ${server.url} (rulesets from ${storeDir}, data in ${dataDir})${opts.auth ? "" : " — authentication is OFF"}\n`,
        );
        await new Promise<void>((done) => {
          const stop = () => void server.close().then(done);
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
        return 0;
      },
    ),
  );
}

function readKeys(path: string): ApiKey[] {
  let list: unknown;
  try {
    list = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UserError(`cannot read the keys file "${path}" (${(err as Error).message})`);
  }
  if (!Array.isArray(list)) throw new UserError(`the keys file "${path}" must hold a JSON list`);
  return list.map((k, i) => {
    const o = k as Partial<ApiKey>;
    if (typeof o.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.sha256))
      throw new UserError(`key ${i + 1} in "${path}" needs "sha256": the hex SHA-256 of the key`);
    const scopes = Array.isArray(o.scopes) ? o.scopes : [];
    const bad = scopes.find((s) => !SCOPES.includes(s));
    if (bad !== undefined) throw new UserError(`key ${i + 1} in "${path}" has unknown scope "${bad}"`, 1, `scopes: ${SCOPES.join(", ")}`);
    return { name: o.name ?? `key${i + 1}`, sha256: o.sha256, scopes };
  });
}

/** The exposure-token secret: EXP_TOKEN_SECRET, else one generated once and kept (0600) in the data dir. */
function tokenSecret(dataDir: string): Buffer {
  if (process.env.EXP_TOKEN_SECRET) return Buffer.from(process.env.EXP_TOKEN_SECRET);
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, "token-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  return Buffer.from(readFileSync(file, "utf8").trim(), "hex");
}
