import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server, type ServerResponse } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { isQueued } from "../../../src/runtime/server/answer-batch.js";
import { send } from "../../../src/runtime/server/http-io.js";
import { createRouter, type Routes } from "../../../src/runtime/server/router.js";
import type { RequestLine } from "../../../src/runtime/server/server-log.js";
import type { ServerState } from "../../../src/runtime/server/state.js";

/** Writes `raw` on one connection and reads until `count` complete answers (content-length bodies) came back. */
function exchange(port: number, raw: string, count: number): Promise<{ status: number; body: string }[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(raw));
    let text = "";
    socket.setEncoding("latin1");
    socket.on("error", reject);
    socket.on("close", () => reject(new Error(`the connection closed after ${parseAnswers(text).length} answers`)));
    socket.on("data", (chunk: string) => {
      text += chunk;
      const answers = parseAnswers(text);
      if (answers.length < count) return;
      socket.destroy();
      resolve(answers);
    });
  });
}

function parseAnswers(text: string): { status: number; body: string }[] {
  const out: { status: number; body: string }[] = [];
  let rest = text;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) return out;
    const head = rest.slice(0, end);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) return out;
    out.push({ status: Number(head.split(" ")[1]), body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
}

const post = (path: string, body = "{}") =>
  `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;

describe("answers written at the end of the I/O turn", () => {
  let server: Server;
  let port: number;
  const lines: RequestLine[] = [];
  const errors: string[] = [];
  /** Per answer: whether its head was sent when its handler returned, and how many earlier answers still waited. */
  const seen: { sent: boolean; queued: boolean; waiting: number }[] = [];
  const handled: ServerResponse[] = [];

  before(async () => {
    const state = {
      noAuth: true,
      metrics: { request() {} },
      log: {
        info() {},
        warn() {},
        error: (message: string) => errors.push(message),
        request: (line: RequestLine) => lines.push(line),
      },
    } as unknown as ServerState;
    const routes: Routes = {
      "POST /echo/(?<n>\\d+)": (_s, _req, res, params) => {
        const n = Number(params.groups!.n);
        send(res, n % 2 === 0 ? 200 : 202, { n });
        seen.push({ sent: res.headersSent, queued: isQueued(res), waiting: handled.filter(isQueued).length });
        handled.push(res);
      },
      "POST /fails": (_s, _req, res) => {
        send(res, 200, { queued: true });
        throw new Error("failed after its answer was queued");
      },
      "POST /gone": (_s, req, res) => {
        send(res, 200, { never: "read" });
        req.socket.destroy();
      },
    };
    server = createServer(createRouter(state, [routes]));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("requests handled in one turn are answered after it, each with its own status and body, in order", async () => {
    seen.length = 0;
    handled.length = 0;
    // Pipelined on one connection: node:http hands all three to the router in the turn that reads them.
    const answers = await exchange(port, post("/echo/1") + post("/echo/2") + post("/echo/3"), 3);
    assert.deepEqual(answers, [
      { status: 202, body: '{"n":1}' },
      { status: 200, body: '{"n":2}' },
      { status: 202, body: '{"n":3}' },
    ]);
    assert.deepEqual(
      seen,
      [0, 1, 2].map((waiting) => ({ sent: false, queued: true, waiting })),
      "no head is sent while the turn's requests are being handled, and each answer waits for the turn's end",
    );
    assert.deepEqual(
      lines.slice(-3).map((l) => l.status),
      [202, 200, 202],
      "the router logs the queued status",
    );
  });

  test("many connections at once each get their own answer", async () => {
    const ns = Array.from({ length: 40 }, (_, i) => i);
    const answers = await Promise.all(ns.map((n) => exchange(port, post(`/echo/${n}`), 1)));
    assert.deepEqual(
      answers.map((a) => a[0]),
      ns.map((n) => ({ status: n % 2 === 0 ? 200 : 202, body: JSON.stringify({ n }) })),
    );
  });

  test("a handler that fails after queuing its answer: the client gets that answer once, and the connection goes on", async () => {
    errors.length = 0;
    const answers = await exchange(port, post("/fails") + post("/echo/4"), 2);
    assert.deepEqual(answers, [
      { status: 200, body: '{"queued":true}' },
      { status: 200, body: '{"n":4}' },
    ]);
    assert.deepEqual(errors, ["POST /fails answered 500"], "the failure is logged as the 5xx it is");
  });

  test("an answer whose client went away before the turn ended is dropped; the turn's other answers are written", async () => {
    const gone = exchange(port, post("/gone"), 1).then(
      () => "answered",
      () => "closed",
    );
    const [other] = await exchange(port, post("/echo/6"), 1);
    assert.deepEqual(other, { status: 200, body: '{"n":6}' });
    assert.equal(await gone, "closed");
    const [after] = await exchange(port, post("/echo/8"), 1);
    assert.deepEqual(after, { status: 200, body: '{"n":8}' }, "the server goes on serving");
  });
});
