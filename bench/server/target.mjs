/**
 * The server under load, run in its own process so that it never shares an event loop with the
 * load generator: the real startServer serving the example workspace's compiled ruleset, with
 * API-key auth and a data dir on a real (fsyncing) disk. The server is the compiled one in dist/,
 * run by plain node, as `exp serve` runs it (index.ts builds it first). Plain JavaScript so that no
 * TypeScript loader is registered in the process: its hooks cost every request (about 2 µs of a bare
 * echo's 27 µs on the reference machine), a cost the shipped server does not have.
 * Prints "READY <url>" once listening; stops on SIGTERM.
 * `exp-no-live` is the same server without live statistics (their cost on ingestion is measured against it).
 *   node bench/server/target.mjs exp|exp-no-live <dataDir>
 */
import { join } from "node:path";

export const BENCH_KEY = "bench-key-0123456789";
const [mode, dataDir] = process.argv.slice(2);

const root = new URL("../../", import.meta.url);
/** A module of the compiled server. */
const compiled = (path) => import(new URL(`dist/src/${path}`, root).href);
const { liveDefinitions } = await compiled("app/live-definitions.js");
const { compileRuleset } = await compiled("compiler/ruleset/compile.js");
const { serverPublisher } = await compiled("app/server-publish.js");
const { DirectoryTarget } = await compiled("plan/target/directory.js");
const { sha256Hex } = await compiled("runtime/server/auth.js");
const { startServer } = await compiled("runtime/server/server.js");
const { serverLog } = await compiled("runtime/server/server-log.js");
const { loadWorkspace } = await compiled("workspace/load.js");

const loaded = await loadWorkspace(root.pathname);
if (!loaded.value) throw new Error("the example workspace does not load");
const store = new DirectoryTarget(join(dataDir, "published"));
await store.publish(compileRuleset(loaded.value).value, { expectedVersion: undefined, expectedChecksum: undefined });
const stderr = serverLog();
const formatted = serverLog(() => {});
const quietRequests = { info: formatted.info, request: formatted.request, warn: stderr.warn, error: stderr.error };
const srv = await startServer(
  {
    store,
    publisher: serverPublisher(store),
    dataDir: join(dataDir, "server"),
    keys: [{ name: "bench", sha256: sha256Hex(BENCH_KEY), scopes: ["evaluate", "ingest", "reports:read"] }],
    tokenSecret: Buffer.from("bench-secret-bench-secret-bench!"),
    layout: loaded.value.settings.warehouse,
    // Every request is still formatted as a log line, but a line per request on the terminal
    // would flood it and time the terminal, not the server; failures still reach stderr.
    log: quietRequests,
    liveDefinitions: liveDefinitions(loaded.value),
    liveStats: mode !== "exp-no-live",
  },
  0,
);
console.log(`READY ${srv.url}`);
process.once("SIGTERM", () => void srv.close().then(() => process.exit(0)));
