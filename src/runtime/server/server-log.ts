/**
 * The server's structured log: one JSON line per entry (`{"ts", "level", "msg", …}`) on stderr by
 * default. Every 5xx answer is one `error` line (router.ts); compaction reports its failures and
 * quarantines here. Errors are logged by name and message only, and every string passes through
 * `redactSecrets`, so a line never carries a bearer token or credentials from a URL. The server
 * never logs request headers or bodies.
 */
export interface ServerLog {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (line: string) => void;

export function serverLog(sink: LogSink = (line) => process.stderr.write(line), now: () => number = Date.now): ServerLog {
  const write = (level: string, msg: string, fields: Record<string, unknown> = {}) => {
    const entry: Record<string, unknown> = { ts: new Date(now()).toISOString(), level, msg: redactSecrets(msg) };
    for (const [k, v] of Object.entries(fields)) entry[k] = loggable(v);
    try {
      sink(`${JSON.stringify(entry)}\n`);
    } catch {
      // A closed stderr must not turn a logged failure into a crash.
    }
  };
  return { error: (msg, fields) => write("error", msg, fields), warn: (msg, fields) => write("warn", msg, fields) };
}

function loggable(v: unknown): unknown {
  if (v instanceof Error) {
    const code = (v as { code?: unknown }).code;
    return { name: v.name, message: redactSecrets(v.message), ...(typeof code === "string" ? { code } : {}) };
  }
  if (typeof v === "string") return redactSecrets(v);
  return v;
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
