// Issue 10 §4: a standing fuzz test of `exp serve`. At least 10,000 random and mutated requests
// (fuzz-requests.ts: bodies, headers, paths, methods, encodings, and a few hand-written raw ones)
// go to every endpoint of a real server on loopback, with compaction running. Asserted: no 5xx,
// no crash, a bounded heap, and every 202 durable: after a final compaction, each acknowledged
// event id and exposure token is in Parquet exactly once, and nothing else is.
//   EXP_FUZZ_SEED=<n> replays a run (the seed is printed); EXP_FUZZ_REQUESTS=<n> runs more.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomInt } from "node:crypto";
import { request, Agent } from "node:http";
import { connect } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Ruleset } from "../../../../src/ruleset/types.js";
import { exampleRepo, exp } from "../../../helpers/workspace.js";
import { call, keysFile, startServe, stopServe, type Served } from "../../../runtime/server/serve-process.js";
import { fuzzRequest, rawRequest, type FuzzRequest, type FuzzWorld } from "./fuzz-requests.js";
import { heapAfterGc, heapPreloadEnv } from "./heap.js";

const SEED = process.env.EXP_FUZZ_SEED ? Number(process.env.EXP_FUZZ_SEED) : randomInt(2 ** 31);
const REQUESTS = Math.max(10_000, Number(process.env.EXP_FUZZ_REQUESTS ?? 0));
const IN_FLIGHT = 12;
/** One request in this many is hand-written bytes on a raw socket. */
const RAW_EVERY = 50;
/** Peak resident memory the server may reach: a loose bound on everything it maps (DuckDB's buffers too). */
const MAX_RSS = 768 * 2 ** 20;
/** How much the heap the server holds (after a full collection) may grow after the first fifth of the run. */
const MAX_HEAP_GROWTH = 24 * 2 ** 20;

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, url: URL, r: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers };
    // Node's client frames a body of a GET or DELETE only when told how: by length, or chunked.
    if (r.body) headers[r.chunked ? "transfer-encoding" : "content-length"] = r.chunked ? "chunked" : String(r.body.length);
    const req = request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, agent, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer to ${r.method} ${r.path} within 60 s`)));
    req.on("socket", (so: any) => {
      (req as any).__prev = so.__last;
      so.__last = `${r.method} ${r.path} ${Object.keys(r.headers)} chunked=${r.chunked} len=${r.body?.length} `;
    });
    req.on("error", (e) => reject(new Error(`${e.message}; previous on socket: ${(req as any).__prev}`)));
    if (r.body && r.chunked) {
      const half = r.body.length >> 1;
      req.write(r.body.subarray(0, half));
      req.end(r.body.subarray(half));
    } else req.end(r.body);
  });
}

/** The status of the first answer on a raw socket, or undefined when the server closed without one. */
function sendRaw(url: URL, bytes: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let got = "";
    socket.setTimeout(60_000, () => socket.destroy(new Error("no answer on a raw socket within 60 s")));
    socket.on("data", (d) => (got += d.toString("latin1")));
    socket.on("error", (err: NodeJS.ErrnoException) => (err.code === "ECONNRESET" ? socket.destroy() : reject(err)));
    socket.on("close", () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      resolve(m ? Number(m[1]) : undefined);
    });
    socket.end(bytes);
  });
}

/** The most resident memory the process has had (VmHWM). */
function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/**
 * What a 202 stored, read from the body as the server reads it: event ids (or one id-less event
 * more) and exposure ids; not the events the answer lists as rejected (exp.yaml does not declare them).
 */
function acknowledge(r: FuzzRequest, answer: string, stored: { events: Set<string>; idless: number; exposures: Set<string> }): void {
  const path = r.path.split("?")[0];
  const body = JSON.parse(r.body!.toString("utf8")) as Record<string, unknown>;
  if (path === "/v1/exposures") {
    stored.exposures.add(createHash("sha256").update(String(body.exposureToken)).digest("hex").slice(0, 32));
    return;
  }
  assert.equal(path, "/v1/events", `202 for ${r.method} ${r.path}`);
  const events = (Object.hasOwn(body, "events") ? body.events : [body]) as Record<string, unknown>[];
  const rejected = new Set(((JSON.parse(answer) as { rejected?: { index: number }[] }).rejected ?? []).map((x) => x.index));
  for (const [i, e] of events.entries()) {
    if (rejected.has(i)) continue;
    if (typeof e.eventId === "string") stored.events.add(e.eventId);
    else stored.idless++;
  }
}

async function parquetIds(dir: string, column: string): Promise<Map<string, number>> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const rows = (await c.runAndReadAll(`SELECT ${column}, count(*) FROM read_parquet('${dir}/*.parquet') GROUP BY 1`)).getRowsJS();
    return new Map(rows.map(([id, n]) => [String(id), Number(n)]));
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

test(`${REQUESTS} fuzzed requests to every endpoint: no 5xx, no crash, bounded memory, every 202 durable`, async () => {
  console.log(`fuzz seed ${SEED} (replay with EXP_FUZZ_SEED=${SEED})`);
  const root = mkdtempSync(join(tmpdir(), "exp-fuzz-"));
  const ws = exampleRepo("exp-fuzz-ws-");
  const data = join(root, "data");
  const keys = { all: "fuzz-all-0123456789", narrow: "fuzz-narrow-0123456789" };
  const scopes = ["evaluate", "ingest", "reports:read", "ruleset:write", "overrides"];
  let running: Served | undefined;
  try {
    assert.equal(exp(ws, ["apply", "--auto-approve"]).status, 0);
    const keyFile = keysFile(root, { all: { key: keys.all, scopes }, narrow: { key: keys.narrow, scopes: ["evaluate"] } });
    const srv = await startServe(ws, ["--keys", keyFile, "--data-dir", data, "--compact-every", "2"], heapPreloadEnv());
    running = srv;
    const url = new URL(srv.url);
    const started = Date.now();
    const clockAt = process.env.EXP_NOW ? Date.parse(process.env.EXP_NOW) : started;
    const ruleset = (await call(srv.url, "GET", "/v1/ruleset", { key: keys.all })).json as unknown as Ruleset;
    const world: FuzzWorld = { ruleset, tokens: [], keys, now: clockAt };
    // Idle sockets are closed before the server's 5 s keep-alive timeout would close them, so a
    // request is never sent on a socket the server is closing at that moment.
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT, timeout: 3_000 });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const stored = { events: new Set<string>(), idless: 0, exposures: new Set<string>() };
    let next = 0;
    let settledHeap: Promise<number> | undefined;
    let peak = 0;

    const one = async (i: number) => {
      world.now = clockAt + (Date.now() - started);
      if (i % RAW_EVERY === RAW_EVERY - 1) {
        const status = await sendRaw(url, rawRequest(SEED, i, keys.all));
        if (status !== undefined) statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status !== undefined && status >= 500) failures.push(`#${i} raw: ${status}`);
        return;
      }
      const r = fuzzRequest(SEED, i, world);
      let a: Answer;
      try {
        a = await send(agent, url, r);
      } catch (err) {
        // The server may answer 413 and close while a body over the limit is still being sent.
        if ((r.body?.length ?? 0) > 8 * 2 ** 20) return;
        throw new Error(`#${i} ${r.method} ${r.path}: ${(err as Error).message} (EXP_FUZZ_SEED=${SEED})`);
      }
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      if (a.status >= 500) failures.push(`#${i} ${r.method} ${r.path}: ${a.status} ${a.body.slice(0, 200)}`);
      if (a.status === 202) acknowledge(r, a.body, stored);
      if (a.status === 200 && (r.path.startsWith("/v1/assignments") || r.path.startsWith("/v1/flags/evaluate"))) {
        // An on_assignment exposure the server logged itself (for an assignment, or a flag an experiment served) is acknowledged with the answer.
        const logged = (JSON.parse(a.body) as { exposureId?: string | null }).exposureId;
        if (logged) stored.exposures.add(logged);
        const t = (JSON.parse(a.body) as { exposureToken?: string }).exposureToken;
        if (t) world.tokens[world.tokens.length < 200 ? world.tokens.length : i % 200] = t;
      }
      if (a.status === 200 && r.method === "PUT") world.ruleset = JSON.parse(r.body!.toString("utf8")) as Ruleset;
    };
    const worker = async () => {
      for (let i = next++; i < REQUESTS; i = next++) {
        await one(i);
        if (i % 250 === 0) {
          assert.equal(srv.child.exitCode, null, `exp serve exited during the run: ${srv.stderr().slice(-2000)}`);
          peak = Math.max(peak, peakRssOf(srv.child.pid!));
          // Once, by the first worker past a fifth; the others go on sending meanwhile.
          if (i >= REQUESTS / 5 && !settledHeap) await (settledHeap = heapAfterGc(srv));
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    agent.destroy();

    peak = Math.max(peak, peakRssOf(srv.child.pid!));
    const [fifth, end] = [await settledHeap!, await heapAfterGc(srv)];
    const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
    console.log(
      `fuzz: ${REQUESTS} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}; ` +
        `${stored.events.size} event ids, ${stored.idless} id-less events and ${stored.exposures.size} exposures acknowledged; ` +
        `heap after a full collection ${mb(fifth)} after a fifth, ${mb(end)} at the end; peak RSS ${mb(peak)}`,
    );
    assert.deepEqual(failures, [], `5xx answers (EXP_FUZZ_SEED=${SEED})`);
    assert.ok(peak < MAX_RSS, `peak RSS ${mb(peak)}`);
    assert.ok(end - fifth < MAX_HEAP_GROWTH, `the heap grew from ${mb(fifth)} to ${mb(end)}`);
    assert.equal(srv.child.exitCode, null, "exp serve is still running");
    assert.deepEqual(
      srv.log().filter((l) => Number(l.status) >= 500),
      [],
      "no 5xx in the server log",
    );
    assert.equal(await stopServe(srv.child), 0, srv.stderr().slice(-2000));

    // Durability: compact everything left, then every acknowledged id is in Parquet once.
    const c = exp(ws, ["compact", "--data-dir", data, "--include-current", "--format", "json"]);
    assert.equal(c.status, 0, c.stderr);
    const report = JSON.parse(c.stdout) as Record<"events" | "exposures", { quarantined: number }>;
    assert.deepEqual([report.events.quarantined, report.exposures.quarantined], [0, 0], c.stdout);
    const events = await parquetIds(join(data, "parquet", "events"), "event_id");
    const twice = [...events].filter(([, n]) => n !== 1);
    assert.deepEqual(twice, [], "event ids stored more than once");
    const missing = [...stored.events].filter((id) => !events.has(id));
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} acknowledged event ids are not in Parquet`);
    assert.equal(events.size, stored.events.size + stored.idless, "Parquet holds the acknowledged events and nothing else");
    if (stored.exposures.size > 0) {
      const exposures = await parquetIds(join(data, "parquet", "exposures"), "exposure_id");
      assert.deepEqual(
        [...exposures].filter(([, n]) => n !== 1),
        [],
        "exposures stored more than once",
      );
      assert.deepEqual(new Set(exposures.keys()), stored.exposures, "Parquet holds exactly the acknowledged exposures");
    }
  } finally {
    // A server a failed assertion left running still writes into the workspace: stop it before removing
    // the folders, so that the failure is reported rather than the removal's.
    if (running) await stopServe(running.child);
    rmSync(root, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  }
});
