import { numberText } from "./json-text.js";

/**
 * The server's structured log: one JSON line per entry (`{"ts", "level", "msg", …}`) on stderr by
 * default. Every request is one line (router.ts): `info` with its method, route template, status,
 * duration and the name of the key it used, or `error` with the error when the answer is a 5xx;
 * compaction reports its failures and quarantines here. Errors are logged by name and message only, and every string passes through
 * `redactSecrets`, so a line never carries a bearer token or credentials from a URL. The server
 * never logs request headers or bodies.
 */
export interface ServerLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  /**
   * One request answered below 500: the `info` line `logRequest` describes. Optional, so that any
   * `{info, warn, error}` is a log; `serverLog` has it to format the line's repeating parts once.
   */
  request?(line: RequestLine): void;
}

/** What the log line of one answered request holds; `keyId` is the name of the key it used, never the key. */
export interface RequestLine {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  keyId: string | undefined;
}

/**
 * Logs a request answered below 500: the `info` line "METHOD ROUTE answered STATUS" with the
 * method, route template, status, duration and key name as fields, through the log's `request`
 * when it has one (the same line, formatted faster).
 */
export function logRequest(log: ServerLog, line: RequestLine): void {
  if (log.request) return log.request(line);
  const { method, route, status, durationMs, keyId } = line;
  const fields: Record<string, unknown> = { method, route, status, durationMs };
  if (keyId !== undefined) fields.keyId = keyId;
  log.info(`${method} ${route} answered ${status}`, fields);
}

export type LogSink = (line: string) => void;

const LEVELS = { info: 0, warn: 1, error: 2 } as const;
export type LogLevel = keyof typeof LEVELS;

/** A log writing entries of `least` and above (`warn` drops the request lines) as JSON lines to `sink`. */
export function serverLog(sink: LogSink = bufferedStderr, now: () => number = Date.now, least: LogLevel = "info"): ServerLog {
  const timestamp = isoTimestamps(now);
  const emit = (line: string) => {
    try {
      sink(line);
    } catch {
      // A closed stderr must not turn a logged failure into a crash.
    }
  };
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[least]) return;
    const entry: Record<string, unknown> = { ts: timestamp(), level, msg: redactedText(msg) };
    for (const k in fields) entry[k] = loggable(fields[k]);
    emit(`${JSON.stringify(entry)}\n`);
  };
  const requestParts = new RequestLineParts();
  return {
    info: (msg, fields) => write("info", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    request(line) {
      if (LEVELS.info < LEVELS[least]) return;
      const [head, tail] = requestParts.of(line);
      emit(`{"ts":"${timestamp()}"${head}${numberText(line.durationMs)}${tail}`);
    },
  };
}

/**
 * The text of a request line around its time and duration, made once per method, route, status
 * and key, which repeat from request to request: formatting and redacting the whole entry each
 * time was a visible share of a small request's time. The line is the one `write` makes of
 * `logRequest`'s message and fields. Bounded: forgotten wholesale when full.
 */
class RequestLineParts {
  private readonly byRoute = new Map<string, Map<string, Map<number, Map<string | undefined, readonly [string, string]>>>>();
  private size = 0;
  /** The last line's parts: a busy route's next line most often has the same. */
  private last?: { method: string; route: string; status: number; keyId: string | undefined; parts: readonly [string, string] };

  of({ method, route, status, keyId }: RequestLine): readonly [string, string] {
    const last = this.last;
    if (last !== undefined && last.route === route && last.status === status && last.keyId === keyId && last.method === method)
      return last.parts;
    let byMethod = this.byRoute.get(route);
    if (!byMethod) this.byRoute.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let byKey = byStatus.get(status);
    if (!byKey) byStatus.set(status, (byKey = new Map()));
    let parts = byKey.get(keyId);
    if (!parts) {
      if (++this.size > MAX_REDACTIONS) {
        this.byRoute.clear();
        this.size = 0;
      }
      byKey.set(keyId, (parts = requestLineParts(method, route, status, keyId)));
    }
    this.last = { method, route, status, keyId, parts };
    return parts;
  }
}

function requestLineParts(method: string, route: string, status: number, keyId: string | undefined): readonly [string, string] {
  const head = JSON.stringify({
    level: "info",
    msg: redactedText(`${method} ${route} answered ${status}`),
    method: loggable(method),
    route: loggable(route),
    status,
  });
  const tail = keyId === undefined ? "" : `,"keyId":${JSON.stringify(loggable(keyId))}`;
  return [`,${head.slice(1, -1)},"durationMs":`, `${tail}}\n`];
}

function loggable(v: unknown): unknown {
  if (v instanceof Error) {
    const code = (v as { code?: unknown }).code;
    return { name: v.name, message: redactSecrets(v.message), ...(typeof code === "string" ? { code } : {}) };
  }
  if (typeof v === "string") return redactedText(v);
  return v;
}

/**
 * The time as ISO text, formatted once per millisecond however many lines share it, and from the
 * text of its second for the other milliseconds of that second: a busy server starts a new
 * millisecond every request or two, and toISOString each time was a visible share of its time.
 */
function isoTimestamps(now: () => number): () => string {
  let at = NaN;
  let text = "";
  let second = NaN;
  /** "2026-01-02T03:04:05." for `second`. */
  let secondText = "";
  return () => {
    const t = now();
    if (t === at) return text;
    at = t;
    // Whole milliseconds of the years 1970 to 9999 only: other times have other shapes (toISOString
    // truncates a fraction and writes six-digit years), and they take the long way.
    if (!Number.isInteger(t) || t < 0 || t > MAX_FOUR_DIGIT_YEAR_MS) return (text = new Date(t).toISOString());
    const ms = t % 1000;
    if (t - ms !== second) {
      second = t - ms;
      secondText = new Date(second).toISOString().slice(0, 20);
    }
    text = `${secondText}${ms < 10 ? "00" : ms < 100 ? "0" : ""}${ms}Z`;
    return text;
  };
}

const MAX_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * `redactSecrets`, remembered for short texts: a request line's message and fields repeat (one
 * route, one status, one key name), and three regular expressions per field was a visible share
 * of a small request's time. Bounded: forgotten wholesale when full.
 */
const redactions = new Map<string, string>();
const MAX_REDACTIONS = 1024;
const MAX_REMEMBERED_LENGTH = 256;

function redactedText(text: string): string {
  if (text.length > MAX_REMEMBERED_LENGTH) return redactSecrets(text);
  let r = redactions.get(text);
  if (r === undefined) {
    if (redactions.size >= MAX_REDACTIONS) redactions.clear();
    redactions.set(text, (r = redactSecrets(text)));
  }
  return r;
}

/**
 * Removes what looks like a credential from a message: the user and password of a URL
 * (`https://user:pass@host` → `https://***@host`), a bearer token, and the value of a query
 * parameter or field named like a secret (token, key, secret, password, signature).
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"']*@/gi, "$1***@")
    .replace(/\b(bearer|basic)\s+[^\s"',;]+/gi, "$1 ***")
    .replace(
      /\b((?:access_?|api_?|exposure_?)?(?:token|key|secret|password|passwd|signature|sig))(["']?\s*[=:]\s*["']?)[^\s"'&,;)}\]]+/gi,
      "$1$2***",
    );
}

/**
 * stderr, one write per turn of the event loop: a busy server logs a line per request, and a
 * write (a system call on a pipe or file) per line was a visible share of a small request's time.
 * The lines of a turn go out together just after it, in order; whatever is still held when the
 * process exits is written then.
 */
const held: string[] = [];
let flushing = false;
let exitHooked = false;

function bufferedStderr(line: string): void {
  held.push(line);
  if (flushing) return;
  flushing = true;
  setImmediate(flushStderr);
  if (!exitHooked) {
    exitHooked = true;
    process.once("exit", flushStderr);
  }
}

function flushStderr(): void {
  flushing = false;
  if (held.length === 0) return;
  const text = held.join("");
  held.length = 0;
  try {
    process.stderr.write(text);
  } catch {
    // A closed stderr must not turn a logged failure into a crash.
  }
}
