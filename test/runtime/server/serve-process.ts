// A real `exp serve` (the built CLI) in a child process, for tests that drive it over loopback as a
// client would, read its structured log from stderr, and restart or stop it.
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { BIN } from "../../helpers/workspace.js";

export interface Served {
  child: ChildProcess;
  url: string;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  /** The JSON lines of its log so far. */
  log(): Record<string, unknown>[];
}

export function startServe(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const served = (url: string): Served => ({
    child,
    url,
    stderr: () => err,
    log: () =>
      err
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(served(m[1]!));
    });
    child.once("exit", (code) => reject(new Error(`exp serve exited with ${code}: ${err}`)));
  });
}

export function stopServe(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.removeAllListeners("exit");
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

/** Writes a keys file granting each named key its scopes; returns its path. */
export function keysFile(dir: string, keys: Record<string, { key: string; scopes: string[] }>): string {
  const path = join(dir, "keys.json");
  writeFileSync(path, JSON.stringify(Object.entries(keys).map(([name, k]) => ({ name, sha256: sha256Hex(k.key), scopes: k.scopes }))));
  return path;
}

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> | undefined;
  text: string;
}

/**
 * One request; `body` is sent as is when it is a string, else as JSON. Each goes on a connection of
 * its own: a pooled one may have sat idle past the server's keep-alive timeout while a test ran a
 * blocking `exp` command, and a request sent on it as the server closes it would fail.
 */
export function call(
  url: string,
  method: string,
  path: string,
  o: { body?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = o.body === undefined ? undefined : Buffer.from(typeof o.body === "string" ? o.body : JSON.stringify(o.body));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...(o.key ? { authorization: `Bearer ${o.key}` } : {}),
    ...(body ? { "content-length": String(body.length) } : {}),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: Record<string, unknown> | undefined;
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        } catch {
          json = undefined;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
        resolve({ status: res.statusCode!, headers: h, json, text });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}
