// The request generator of fuzz.test.ts: for each request index, a request built from its own
// seeded generator (so a seed replays the same requests), aimed at one endpoint of `exp serve` and
// then mutated: its method, path, query, headers, body structure, body bytes and encoding.
import { gzipSync } from "node:zlib";
import { rulesetChecksum } from "../../../../src/ruleset/checksum.js";
import type { Ruleset } from "../../../../src/ruleset/types.js";
import { mulberry32 } from "../../../helpers/prng.js";

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body in pieces without a Content-Length (chunked). */
  chunked: boolean;
}

/** What the generator draws on: the served ruleset and the tokens the server has issued so far. */
export interface FuzzWorld {
  ruleset: Ruleset;
  tokens: string[];
  keys: { all: string; narrow: string };
  /** The server's clock, for times near it. */
  now: number;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number) => r() < p;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** Strings that broke or might break a server: lone surrogates, huge and odd times, prototype names, control characters. */
const NASTY_STRINGS = [
  "",
  " ",
  "a",
  "user_42",
  "\ud800",
  "x\udfffy",
  "😀",
  "\u0000",
  "\u2028\u2029",
  "\r\n",
  "../../etc/passwd",
  "%00",
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "1e20",
  "+010000-01-01T00:00:00Z",
  "2026-02-31T00:00:00Z",
  "2026-12-02T10:00:00Z",
  "2026-11-21T12:00:00+14:00",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59.999999999Z",
  "2026-11-21",
  "-1",
  "NaN",
  "x".repeat(513),
  "é".repeat(300),
];
/** Strings at the edges of what a text field takes: empty, blank, the longest, one past it, a pair, a line separator. */
const EDGE_TEXT = ["", " ", "x".repeat(512), "x".repeat(513), "😀", "\u2028", "é"];
const DEEP = "@@deep:";
const NASTY_NUMBERS = [0, -0, -1, 1, 0.5, 1e20, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, -1e308, 5e-324];

function nastyValue(r: Rand, depth = 0): unknown {
  switch (int(r, 9)) {
    case 0:
      return null;
    case 1:
      return chance(r, 0.5);
    case 2:
      return pick(r, NASTY_NUMBERS);
    case 3:
    case 4:
      return pick(r, NASTY_STRINGS);
    case 5:
      return depth > 3 ? [] : Array.from({ length: int(r, 4) }, () => nastyValue(r, depth + 1));
    case 6:
      return depth > 3
        ? {}
        : Object.fromEntries(Array.from({ length: int(r, 4) }, () => [pick(r, NASTY_STRINGS), nastyValue(r, depth + 1)]));
    case 7:
      // Deep nesting, within and past the body's depth limit: a marker that `serialize` expands,
      // since JSON.stringify itself would run out of stack.
      return `${DEEP}${pick(r, [10, 63, 65, 300, 5000])}`;
    default:
      return String(int(r, 1e6));
  }
}

/** JSON text of `v`, with each deep-nesting marker expanded into arrays and objects nested that deep. */
function serialize(v: unknown): Buffer {
  const text = JSON.stringify(v).replace(/"@@deep:(\d+)"/g, (_, n: string) => {
    const levels = Number(n);
    const open = Array.from({ length: levels }, (_, i) => (i % 2 ? '{"a":' : "[")).join("");
    const close = Array.from({ length: levels }, (_, i) => (i % 2 ? "}" : "]"))
      .reverse()
      .join("");
    return `${open}1${close}`;
  });
  return Buffer.from(text);
}

/** Structural mutations of a JSON value: drop, replace or add a field, or replace the whole. */
function mutateValue(r: Rand, v: unknown): unknown {
  if (chance(r, 0.05)) return nastyValue(r);
  if (typeof v !== "object" || v === null) return chance(r, 0.5) ? nastyValue(r) : v;
  const copy: Record<string, unknown> = Array.isArray(v) ? ([...v] as unknown as Record<string, unknown>) : { ...v };
  const keys = Object.keys(copy);
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const k = keys.length && chance(r, 0.8) ? pick(r, keys) : pick(r, NASTY_STRINGS);
    const what = int(r, 4);
    // Own properties only, as JSON.parse makes them: a key such as "__proto__" is a field of the body,
    // never the copy's prototype (setting that made arrays that cannot be iterated).
    const own = Object.hasOwn(copy, k) ? copy[k] : undefined;
    if (what === 0) delete copy[k];
    else if (Array.isArray(copy) && k === "length") continue;
    else define(copy, k, what === 1 && typeof own === "object" ? mutateValue(r, own) : nastyValue(r));
  }
  return copy;
}

function define(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Byte-level mutations of a body: cut, flipped, inserted bytes, bad UTF-8, a BOM, or another document. */
function mutateBytes(r: Rand, b: Buffer): Buffer {
  switch (int(r, 10)) {
    case 0:
      return b.subarray(0, int(r, b.length + 1));
    case 1: {
      const c = Buffer.from(b);
      for (let n = 1 + int(r, 4); n > 0 && c.length; n--) c[int(r, c.length)] = int(r, 256);
      return c;
    }
    case 2: {
      const at = int(r, b.length + 1);
      return Buffer.concat([
        b.subarray(0, at),
        pick(r, [Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe])]),
        b.subarray(at),
      ]);
    }
    case 3:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
    case 4:
      return Buffer.from(pick(r, ["null", "[]", "0", '""', "true", "{}", " ", "", "1e400", '{"a":1}{"b":2}', "[".repeat(100_000)]));
    case 5:
      return Buffer.from(b.toString("latin1").replace(/"([a-zA-Z]+)":/, '"__proto__":{"polluted":1},"$1":'), "latin1");
    case 6:
      return Buffer.from(b.toString("latin1").replace(/:(\d+)/, ":1e400"), "latin1");
    case 7:
      return Buffer.from(b.toString("latin1").replace(/"(\w+)":/, '"$1":null,"$1":'), "latin1");
    default:
      return Buffer.concat([b, Buffer.from(pick(r, ["", "\n", " garbage", "\u0000", "}"]))]);
  }
}

function context(r: Rand): Record<string, unknown> {
  return { country: pick(r, ["US", "DE", "FR", "BR"]), platform: pick(r, ["web", "ios", "android"]) };
}

function isoNear(r: Rand, now: number): string {
  return new Date(now - int(r, 3 * 86_400_000)).toISOString();
}

/** An event; its eventIds are drawn from few enough that duplicates are common. */
function event(r: Rand, now: number): Record<string, unknown> {
  const e: Record<string, unknown> = { userId: `user_${int(r, 500)}`, eventName: pick(r, ["purchase", "page_view", "signup"]) };
  if (chance(r, 0.9)) e.eventId = `ev-${int(r, 40_000)}`;
  if (chance(r, 0.5)) e.value = Math.round(r() * 10_000) / 100;
  if (chance(r, 0.5)) e.ts = isoNear(r, now);
  if (chance(r, 0.3)) e.sessionId = `s-${int(r, 100)}`;
  if (chance(r, 0.3)) e.properties = { revenue: r() * 100, currency: "USD" };
  // One field now and then is odd, inside an otherwise valid batch.
  if (chance(r, 0.05)) {
    const field = pick(r, ["eventId", "userId", "sessionId", "eventName", "value", "ts", "properties"]);
    e[field] = chance(r, 0.5) ? pick(r, EDGE_TEXT) : nastyValue(r);
  }
  return e;
}

/** A token as issued, or re-encoded, cut, or altered. */
function token(r: Rand, tokens: string[]): unknown {
  if (tokens.length === 0 || chance(r, 0.05)) return nastyValue(r);
  const t = pick(r, tokens);
  switch (int(r, 8)) {
    case 0:
      return `${t}=`;
    case 1:
      return t.replace(/-/g, "+").replace(/_/g, "/");
    case 2:
      return t.slice(0, int(r, t.length));
    case 3: {
      const i = int(r, t.length);
      return t.slice(0, i) + pick(r, ["A", "B", "_", "-", "."]) + t.slice(i + 1);
    }
    case 4:
      return `${t} `;
    default:
      return t;
  }
}

function nextVersion(r: Rand, w: FuzzWorld): Ruleset {
  const next = structuredClone(w.ruleset);
  next.version = w.ruleset.version + pick(r, [1, 1, 1, 2, 0, -1]);
  next.checksum = rulesetChecksum(next);
  return next;
}

interface Aim {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A well-formed request to one endpoint, before mutation. */
function aim(r: Rand, w: FuzzWorld): Aim {
  const experiments = Object.keys(w.ruleset.experiments);
  const flags = Object.keys(w.ruleset.flags);
  const unit = `user_${int(r, 500)}`;
  switch (int(r, 16)) {
    case 0:
    case 1:
    case 2:
      return { method: "POST", path: "/v1/assignments", body: { experimentKey: pick(r, experiments), userId: unit, context: context(r) } };
    case 3:
      return { method: "POST", path: "/v1/flags/evaluate", body: { flagKey: pick(r, flags), userId: unit, context: context(r) } };
    case 4:
      return { method: "POST", path: "/v1/evaluate", body: { userId: unit, context: context(r) } };
    case 5:
    case 6: {
      const body: Record<string, unknown> = { exposureToken: token(r, w.tokens) };
      if (chance(r, 0.5)) body.ts = chance(r, 0.7) ? new Date(w.now - int(r, 60_000)).toISOString() : pick(r, NASTY_STRINGS);
      if (chance(r, 0.3)) body.metadata = { page: "/checkout" };
      return { method: "POST", path: "/v1/exposures", body };
    }
    case 7:
    case 8:
    case 9: {
      if (chance(r, 0.3)) return { method: "POST", path: "/v1/events", body: event(r, w.now) };
      const n = chance(r, 0.01) ? pick(r, [2000, 10_000, 10_001]) : 1 + int(r, 20);
      return { method: "POST", path: "/v1/events", body: { events: Array.from({ length: n }, () => event(r, w.now)) } };
    }
    case 10:
      return { method: "GET", path: `/v1/experiments/${pick(r, [...experiments, "constructor", "nope", "__proto__"])}/summary` };
    case 11:
      return { method: "GET", path: `/v1/reports/${pick(r, [...experiments, "constructor", "nope"])}` };
    case 12:
      return {
        method: "GET",
        path: pick(r, ["/v1/ruleset", "/v1/ruleset/versions"]),
        headers: chance(r, 0.3) ? { "if-none-match": pick(r, [`"${w.ruleset.checksum}"`, "*", '"x"', "garbage"]) } : {},
      };
    case 13: {
      const n = pick(r, [String(w.ruleset.version), "1", "0", "-1", "9007199254740993", "1e20", "01", "x", "99999"]);
      return { method: "GET", path: `/v1/ruleset/versions/${n}` };
    }
    case 14: {
      const body = chance(r, 0.3) ? nextVersion(r, w) : mutateValue(r, w.ruleset);
      const headers: Record<string, string> = {};
      if (chance(r, 0.6))
        headers["if-match"] = pick(r, [`"${w.ruleset.checksum}"`, String(w.ruleset.version), '"stale"', "*", "1e20", "9007199254740993"]);
      else if (chance(r, 0.3)) headers["if-none-match"] = "*";
      return { method: "PUT", path: "/v1/ruleset", body, headers };
    }
    default:
      return { method: "GET", path: pick(r, ["/healthz", "/readyz", "/metrics", "/", "/v1", "/v1/", "/favicon.ico"]) };
  }
}

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"];

function mutatePath(r: Rand, path: string): string {
  switch (int(r, 9)) {
    case 0:
      return `${path}/`;
    case 1:
      return `/${path}`;
    case 2:
      return path.toUpperCase();
    case 3:
      return path.replace(
        /\/([^/]*)$/,
        (_, last: string) => `/${encodeURIComponent(last).replace(/./, (c) => `%${c.charCodeAt(0).toString(16)}`)}`,
      );
    case 4:
      return path.replace(/[^/]+$/, pick(r, ["%E0%A4%A", "%ZZ", "%00", "..", "%2e%2e", "ü", "a".repeat(5000)]));
    case 5:
      return `${path}?${pick(r, ["a=1", "", "%", "x=%ZZ", "a=".repeat(500), "__proto__[x]=1"])}`;
    case 6:
      return `${path}/../..${path}`;
    default:
      return path;
  }
}

/** Mostly the key with every scope, so that most requests get past authentication to the handlers. */
function authorization(r: Rand, w: FuzzWorld): Record<string, string> {
  if (chance(r, 0.8)) return { authorization: `Bearer ${w.keys.all}` };
  const v = pick(r, [
    `Bearer ${w.keys.narrow}`,
    undefined,
    "Bearer ",
    "Bearer wrong-key",
    `bearer ${w.keys.all}`,
    `Basic ${Buffer.from("a:b").toString("base64")}`,
    `Bearer ${"k".repeat(10_000)}`,
  ]);
  return v === undefined ? {} : { authorization: v };
}

/** Request `index` of the run with `seed`. */
export function fuzzRequest(seed: number, index: number, w: FuzzWorld): FuzzRequest {
  const r = mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const a = aim(r, w);
  let body: Buffer | undefined = a.body === undefined ? undefined : serialize(chance(r, 0.3) ? mutateValue(r, a.body) : a.body);
  if (body && chance(r, 0.2)) body = mutateBytes(r, body);
  if (!body && chance(r, 0.05)) body = serialize(nastyValue(r));
  if (chance(r, 0.002)) body = Buffer.alloc(8 * 1024 * 1024 + 1 + int(r, 1024), 0x20);
  const headers: Record<string, string> = { ...authorization(r, w), ...a.headers };
  const contentType = pick(r, [
    "application/json",
    "application/json",
    "application/json",
    "text/plain",
    undefined,
    "application/json; charset=latin1",
  ]);
  if (contentType) headers["content-type"] = contentType;
  if (body && chance(r, 0.03)) {
    // Compressed bodies are not understood: the server must refuse them, not choke on them.
    body = gzipSync(body);
    headers["content-encoding"] = "gzip";
  } else if (chance(r, 0.02)) headers["content-encoding"] = pick(r, ["gzip", "br", "identity", "x-unknown"]);
  if (chance(r, 0.03)) headers[pick(r, ["x-forwarded-for", "expect", "accept", "x-a"])] = pick(r, ["1.2.3.4", "100-continue", "*/*", "é"]);
  return {
    method: chance(r, 0.1) ? pick(r, METHODS) : a.method,
    path: chance(r, 0.15) ? mutatePath(r, a.path) : a.path,
    headers,
    body,
    chunked: body !== undefined && chance(r, 0.1),
  };
}

/** Hand-written bytes that no HTTP client library would send, for a few raw-socket requests. */
export function rawRequest(seed: number, index: number, key: string): string {
  const r = mulberry32((seed ^ Math.imul(index + 7, 0x85ebca6b)) >>> 0);
  const body = '{"events":[{"userId":"u","eventName":"x"}]}';
  const auth = `Authorization: Bearer ${key}\r\n`;
  return pick(r, [
    "GARBAGE\r\n\r\n",
    "GET /healthz HTTP/9.9\r\n\r\n",
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Transfer-Encoding: chunked\r\n\r\nZZ\r\n${body}\r\n0\r\n\r\n`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 5\r\nContent-Length: 7\r\n\r\n{}`,
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: -1\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    `GET /healthz HTTP/1.0\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    `GET /v1/ruleset HTTP/1.1\r\nHost: x\r\n${auth}Connection: close\r\n\r\n`,
    `GET /h\u00e9althz HTTP/1.1\r\nHost: x\r\n\r\n`,
    // A body cut short: the client goes away after part of it.
    `POST /v1/events HTTP/1.1\r\nHost: x\r\n${auth}Content-Length: 500\r\n\r\n{"events":[{"userId":`,
  ]);
}
