import type { IncomingMessage, ServerResponse } from "node:http";
import { defineCodes } from "../../diagnostics/codes.js";
import { ExpError } from "../../diagnostics/errors.js";

export const HTTP_CODES = defineCodes({
  requestRefused: {
    code: "EXP5040",
    severity: "error",
    title: "exp serve refused a request (answered with its HTTP status and a JSON error)",
  },
});

/** A client error with its status; handlers throw it, the server turns it into a JSON response. */
export class HttpError extends ExpError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super({ code: HTTP_CODES.requestRefused.code, severity: HTTP_CODES.requestRefused.severity, message });
    this.name = "HttpError";
  }
}

const MAX_BODY = 8 * 1024 * 1024;

export function readJson(req: IncomingMessage): Promise<unknown> {
  // Plain stream events rather than `for await`: the async iterator costs a promise per chunk, a
  // visible share of a small request's time.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY) {
        failed = true;
        reject(new HttpError(413, `the body is larger than ${MAX_BODY} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      if (failed) return;
      const text = chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8");
      if (text.trim() === "") return reject(new HttpError(400, "the body is empty; send a JSON object"));
      try {
        resolve(JSON.parse(text));
      } catch (err) {
        reject(new HttpError(400, `the body is not valid JSON (${(err as Error).message})`));
      }
    });
  });
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function object(body: unknown, what = "the body"): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new HttpError(400, `${what} must be a JSON object`);
  return body as Record<string, unknown>;
}

export function str(o: Record<string, unknown>, key: string, required = true): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, `"${key}" is required (a string)`);
    return undefined;
  }
  if (typeof v !== "string") throw new HttpError(400, `"${key}" must be a string`);
  return v;
}

export function context(o: Record<string, unknown>): Record<string, unknown> {
  const c = o.context ?? {};
  if (typeof c !== "object" || c === null || Array.isArray(c))
    throw new HttpError(400, `"context" must be a JSON object of unit attributes`);
  return c as Record<string, unknown>;
}
