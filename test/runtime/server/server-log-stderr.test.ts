import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const serverLogModule = pathToFileURL(fileURLToPath(new URL("../../../src/runtime/server/server-log.ts", import.meta.url))).href;

test("the default log writes a turn's lines to stderr together after it, in order, and what it holds at exit", () => {
  // "direct" is written at once, so the lines logged before it show that they were held; "third"
  // is logged just before process.exit, which leaves no turn to write it but the exit itself.
  const script = `
    import { serverLog } from ${JSON.stringify(serverLogModule)};
    const log = serverLog(undefined, () => 0);
    log.info("first");
    log.warn("second");
    process.stderr.write("direct\\n");
    setImmediate(() => {
      log.error("third");
      process.exit(0);
    });
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split("\n").filter(Boolean);
  assert.deepEqual(
    lines.map((l) => (l.startsWith("{") ? (JSON.parse(l) as { msg: string }).msg : l)),
    ["direct", "first", "second", "third"],
  );
});
