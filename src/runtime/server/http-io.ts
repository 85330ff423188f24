import type { IncomingMessage, ServerResponse } from "node:http";
import { defineCodes } from "../../diagnostics/codes.js";
import { ExpError } from "../../diagnostics/errors.js";
import { queueAnswer } from "./answer-batch.js";
import { nestsDeeperThan } from "./json-depth.js";

export const HTTP_CODES = defineCodes({
  requestRefused: {
    code: "EXP5040",
    severity: "error",
    title: "exp serve refused a request (answered with its HTTP status and a JSON error)",
  },
});

/** A client error with its status; handlers throw it, the server turns it into a JSON response (with the suggestion, if any). */
export class HttpError extends ExpError {
  constructor(
    readonly status: number,
    message: string,
    suggestion?: string,
  ) {
    super({ code: HTTP_CODES.requestRefused.code, severity: HTTP_CODES.requestRefused.severity, message, suggestion });
    this.name = "HttpError";
  }
}

const MAX_BODY = 8 * 1024 * 1024;

/** How deep a request body may nest: far beyond any real request, far below what a recursive walk survives. */
export const MAX_BODY_DEPTH = 64;

/**
 * The body as UTF-8 text (invalid bytes become U+FFFD); 413 past 8 MB, 400 when the client stops
 * sending. A body that must be one JSON object is read by json-route.ts, without a promise.
 */
export function readText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => onBody(req, (err, text) => (err ? reject(err) : resolve(text!))));
}

/**
 * Reads the body as UTF-8 text and calls `done` once: with the text when it ends, or with an
 * HttpError (413 past 8 MB, 400 when the client stops sending). Plain stream events rather than
 * `for await`, whose async iterator costs a promise per chunk; callers that answer at once (json-route.ts)
 * need no promise at all.
 */
export function onBody(req: IncomingMessage, done: (err: HttpError | undefined, text?: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  // The error is made only when it is raised: "close" follows every request, and building an
  // error (its stack and diagnostic) for each one was a visible share of a small request's time.
  const fail = (status: number, message: string) => {
    if (settled) return;
    settled = true;
    done(new HttpError(status, message));
  };
  req.on("data", (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > MAX_BODY) return fail(413, `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  });
  // A client that goes away mid-body is not a server failure. "close" follows every way a body
  // can stop short (an aborted or reset connection, a parse error, a timeout), and an aborted
  // request emits "error" only to listeners it has, so none is added for it.
  req.on("close", () => fail(400, "the request body was cut short"));
  req.on("end", () => {
    if (settled) return;
    settled = true;
    done(undefined, chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8"));
  });
}

/** 400 when a body is empty or nests deeper than `maxDepth`: checked before anything parses it. */
export function checkBodyShape(text: string, maxDepth: number): void {
  if (isBlank(text)) throw new HttpError(400, "the body is empty; send a JSON object");
  if (nestsDeeperThan(text, maxDepth)) throw new HttpError(400, `the body nests deeper than ${maxDepth} levels`);
}

/** Whether `text` is empty or JSON whitespace only; a body's first other character ends the look (trim would copy it). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

/** Parses a body; 400 when it is empty, nests deeper than `maxDepth`, or is not JSON. */
export function parseJson(text: string, maxDepth = MAX_BODY_DEPTH): unknown {
  checkBodyShape(text, maxDepth);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the body is not valid JSON (${(err as Error).message})`);
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendJsonText(res, status, body === undefined ? "" : JSON.stringify(body), headers);
}

/**
 * `text`, JSON already written, as the answer: the head and the body in one write, made with the
 * turn's other answers when the event loop's I/O turn ends (answer-batch.ts).
 */
export function sendJsonText(res: ServerResponse, status: number, text: string, headers?: Record<string, string>): void {
  const length = Buffer.byteLength(text);
  queueAnswer(
    res,
    status,
    headers === undefined
      ? ["content-type", "application/json", "content-length", String(length)]
      : { "content-type": "application/json", "content-length": length, ...headers },
    text,
  );
}

export function object(body: unknown, what = "the body"): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, `${what} must be a JSON object`);
  return body as Record<string, unknown>;
}

/**
 * A body's string field `key`, given its value: the callers read it by name (`b.flagKey`), since a
 * helper reading fields by a computed name sees every route's names and bodies, which makes that
 * read slow for all of them. 400 when it is not a string, or absent and `required`.
 */
export function str(v: unknown, key: string, required = true): string | undefined {
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, `"${key}" is required (a string)`);
    return undefined;
  }
  if (typeof v !== "string") throw new HttpError(400, `"${key}" must be a string`);
  return v;
}
