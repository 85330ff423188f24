import type { OutgoingHttpHeaders, ServerResponse } from "node:http";

/**
 * JSON answers are written together at the end of the event loop's I/O turn, after every request
 * that turn brought has been handled, as Redis writes its replies before its loop sleeps: the
 * answers leave in a run of writes instead of one between each request's work. Under load that
 * saves work on both ends: a client that reads several answers wakes once for them rather than
 * once per answer (on one machine, each wake-up of a sleeping client is kernel time charged to the
 * server's write), and the server runs its request code and its write path each in a run, which
 * keeps each warm. A turn with one request waits one `setImmediate` hop; an answer that came
 * early in a busy turn waits for the rest of that turn's requests (a turn ends when they are
 * handled, so no longer than the turn's work).
 *
 * The status is set on the response at once (`res.statusCode`), so the router counts and logs
 * it as it did; `isQueued` tells the router not to answer a second time when a handler fails
 * after queuing its answer.
 */
interface Queued {
  status: number;
  head: OutgoingHttpHeaders | string[];
  text: string;
}

let queued = new Map<ServerResponse, Queued>();

/** Queues `text` as the answer of `res`, written with `status` and `head` when the turn ends. */
export function queueAnswer(res: ServerResponse, status: number, head: OutgoingHttpHeaders | string[], text: string): void {
  res.statusCode = status;
  if (queued.size === 0) setImmediate(writeQueued);
  queued.set(res, { status, head, text });
}

/** Whether an answer of `res` waits for the turn's end. */
export function isQueued(res: ServerResponse): boolean {
  return queued.has(res);
}

/**
 * Writes the turn's answers in the order they were queued. A response whose client went away
 * takes its write and drops it, as node:http does for any; one that cannot be written (nothing
 * known can) loses its connection rather than the answers after it.
 */
function writeQueued(): void {
  const answers = queued;
  queued = new Map();
  for (const [res, a] of answers) {
    try {
      res.writeHead(a.status, a.head);
      res.end(a.text);
    } catch {
      res.destroy();
    }
  }
}
