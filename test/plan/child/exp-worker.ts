// Runs `exp` command lines inside a worker thread, one request at a time, so tests pay the
// TypeScript loader once. The worker's stdout/stderr are its own, which keeps captured command
// output apart from the test runner's report.
import { parentPort } from "node:worker_threads";
import { main } from "../../../src/cli/main.js";

interface Request {
  args: string[];
  env: Record<string, string>;
}

parentPort!.on("message", async (req: Request) => {
  let stdout = "";
  let stderr = "";
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const saved = Object.fromEntries(Object.keys(req.env).map((k) => [k, process.env[k]]));
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  Object.assign(process.env, req.env);
  process.exitCode = undefined;
  try {
    await main(["node", "exp", ...req.args]);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  parentPort!.postMessage({ code, stdout, stderr });
});
