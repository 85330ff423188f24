import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { HttpError } from "../../../src/runtime/server/http-io.js";
import { jsonRoute, type JsonAnswer } from "../../../src/runtime/server/json-route.js";
import type { Answering } from "../../../src/runtime/server/router.js";
import type { ServerState } from "../../../src/runtime/server/state.js";

/** A request whose body the test sends by hand, and a server without auth. */
function call(answer: JsonAnswer) {
  const req = new EventEmitter() as IncomingMessage;
  const state = { noAuth: true } as ServerState;
  const pending = jsonRoute("evaluate", answer)(state, req, {} as ServerResponse, [] as unknown as RegExpMatchArray) as Answering;
  const outcome: { answered: number; failed: unknown[] } = { answered: 0, failed: [] };
  pending.then(
    () => outcome.answered++,
    (err) => outcome.failed.push(err),
  );
  const send = (text: string) => {
    req.emit("data", Buffer.from(text));
    req.emit("end");
    req.emit("close");
  };
  return { req, pending, outcome, send };
}

test("an answer that needs nothing asynchronous settles as the body ends, before any microtask runs", () => {
  const seen: unknown[] = [];
  const { outcome, send } = call((_s, _res, body) => {
    seen.push(body);
  });
  assert.equal(outcome.answered, 0, "nothing is answered before the body ends");
  send('{"userId":"u1","context":{"country":"US"}}');
  // Synchronously: a promise would settle only after this test's synchronous code.
  assert.deepEqual(seen, [{ userId: "u1", context: { country: "US" } }]);
  assert.deepEqual(outcome, { answered: 1, failed: [] });
});

test("an answer's thrown error and a rejected promise fail the route once, with that error", async () => {
  const thrown = call(() => {
    throw new HttpError(404, "unknown experiment");
  });
  thrown.send("{}");
  assert.equal(thrown.outcome.answered, 0);
  assert.equal((thrown.outcome.failed[0] as HttpError).status, 404);
  assert.equal(thrown.outcome.failed.length, 1);

  const rejected = call(() => Promise.reject(new Error("disk full")));
  rejected.send("{}");
  assert.equal(rejected.outcome.failed.length, 0, "a promise settles later");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    rejected.outcome.failed.map((e) => (e as Error).message),
    ["disk full"],
  );
  assert.equal(rejected.outcome.answered, 0);

  const later = call(() => Promise.resolve());
  later.send("{}");
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(later.outcome, { answered: 1, failed: [] });
});

test("a body that is empty, not JSON, not an object, or cut short is a 400 and the answer never runs", () => {
  let ran = 0;
  const answer: JsonAnswer = () => {
    ran++;
  };
  for (const [body, message] of [
    [" \n", /empty/],
    ["{", /not valid JSON/],
    ["[1,2]", /must be a JSON object/],
    ['"text"', /must be a JSON object/],
  ] as const) {
    const c = call(answer);
    c.send(body);
    const err = c.outcome.failed[0] as HttpError;
    assert.equal(err.status, 400, body);
    assert.match(err.message, message);
    assert.equal(c.outcome.failed.length, 1);
  }
  const cut = call(answer);
  cut.req.emit("data", Buffer.from('{"userId":'));
  cut.req.emit("close");
  cut.req.emit("end");
  assert.equal((cut.outcome.failed[0] as HttpError).status, 400);
  assert.match((cut.outcome.failed[0] as HttpError).message, /cut short/);
  assert.equal(cut.outcome.failed.length, 1);
  assert.equal(ran, 0);
});

test("callbacks registered after the route settled are called at once with its outcome", () => {
  const { pending, send } = call(() => {});
  send("{}");
  let late = 0;
  pending.then(
    () => late++,
    () => assert.fail("the route answered"),
  );
  assert.equal(late, 1);
});

test("a key without the route's scope is refused before the body is read", () => {
  const req = new EventEmitter() as IncomingMessage;
  (req as { headers: Record<string, string> }).headers = {};
  const state = { noAuth: false, keys: [] } as unknown as ServerState;
  assert.throws(
    () =>
      jsonRoute("evaluate", () => assert.fail("no answer without a key"))(
        state,
        req,
        {} as ServerResponse,
        [] as unknown as RegExpMatchArray,
      ),
    (err: HttpError) => err.status === 401,
  );
  assert.equal(req.listenerCount("data"), 0, "the body is not read");
});
