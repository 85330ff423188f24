/**
 * The server under load, run in its own process so that it never shares an event loop with the
 * load generator. `echo` is the bare node:http JSON peer; `exp` is the real startServer serving the
 * example workspace's compiled ruleset, with API-key auth and a data dir on a real (fsyncing) disk.
 * Prints "READY <url>" once listening; stops on SIGTERM.
 * `exp-no-live` is the same server without live statistics (their cost on ingestion is measured against it).
 *   node --import tsx bench/server/target.ts echo|exp|exp-no-live <dataDir>
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { liveDefinitions } from "../../src/app/live-definitions.js";
import { compileRuleset } from "../../src/compiler/ruleset/compile.js";
import { serverPublisher } from "../../src/app/server-publish.js";
import { DirectoryTarget } from "../../src/plan/target/directory.js";
import { sha256Hex } from "../../src/runtime/server/auth.js";
import { startServer } from "../../src/runtime/server/server.js";
import { serverLog } from "../../src/runtime/server/server-log.js";
import { loadWorkspace } from "../../src/workspace/load.js";

export const BENCH_KEY = "bench-key-0123456789";
const [mode, dataDir] = process.argv.slice(2) as [string, string];

if (mode === "echo") {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, "127.0.0.1", () => console.log(`READY http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  process.once("SIGTERM", () => server.close(() => process.exit(0)));
} else {
  const root = new URL("../../", import.meta.url).pathname;
  const loaded = await loadWorkspace(root);
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
}
