import type { ServerResponse } from "node:http";
import type { ApiKey, Scope } from "./auth.js";
import { object, onBody, parseJson } from "./http-io.js";
import type { Answering, Handler } from "./router.js";
import { requireScope, type ServerState } from "./state.js";

/**
 * A JSON route's answer to its parsed body, with the key the request presented (undefined when the
 * server runs without auth): done when it returns, or when the promise it returns settles.
 */
export type JsonAnswer = (
  state: ServerState,
  res: ServerResponse,
  body: Record<string, unknown>,
  key: ApiKey | undefined,
) => Promise<void> | void;

/**
 * A route that answers a JSON object body: the key must hold `scope` (checked before the body is
 * read), the body is read with stream callbacks and parsed as `parseJson` does (400 when it is not
 * a JSON object), and `answer` runs as the body ends. The router waits on a `Settled` that those
 * callbacks settle directly, not on a promise: an answer that needs nothing asynchronous (most
 * evaluations) is written and counted with no turn of the microtask queue, which was a visible
 * share of a small request's time under load. `what` names the body in the 400 for one that is
 * not an object (what it should be, for a route that takes more than one shape).
 */
export function jsonRoute(scope: Scope, answer: JsonAnswer, what?: string): Handler {
  return (s, req, res) => {
    const key = requireScope(s, req, scope);
    const settled = new Settled();
    onBody(req, (err, text) => {
      if (err) return settled.fail(err);
      let later: Promise<void> | void;
      try {
        later = answer(s, res, object(parseJson(text!), what), key);
      } catch (e) {
        return settled.fail(e);
      }
      if (!later) return settled.done();
      later.then(
        () => settled.done(),
        (e: unknown) => settled.fail(e),
      );
    });
    return settled;
  };
}

/** One outcome, handed to the callbacks `then` registers (at most one pair, as the router registers). */
class Settled implements Answering {
  private outcome: { err: unknown } | "done" | undefined;
  private answered?: () => void;
  private failed?: (err: unknown) => void;

  then(answered: () => void, failed: (err: unknown) => void): void {
    if (this.outcome === "done") return answered();
    if (this.outcome) return failed(this.outcome.err);
    this.answered = answered;
    this.failed = failed;
  }

  done(): void {
    if (this.outcome) return;
    this.outcome = "done";
    this.answered?.();
  }

  fail(err: unknown): void {
    if (this.outcome) return;
    this.outcome = { err };
    this.failed?.(err);
  }
}
