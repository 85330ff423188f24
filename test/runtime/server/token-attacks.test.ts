// Exposure tokens and the server's files, issue 10 §3.5 and §3.8, against a real `exp serve`: a
// re-encoded token is not a new exposure, the client's ts cannot move an exposure outside the
// token's issue time and the server clock, a weak secret stops the server from starting, and what
// the server keeps on disk is private to its user.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { call, startServe, stopServe, type Served } from "./serve-process.js";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

const mode = (path: string) => statSync(path).mode & 0o777;

describe("exposure tokens: one encoding, bounded times", () => {
  let dir: string;
  let srv: Served;
  const expose = (body: unknown) => call(srv.url, "POST", "/v1/exposures", { body });
  /** A fresh token for an enrolled unit, and the server's time when it was issued. */
  const token = async (): Promise<{ token: string; issued: number }> => {
    for (let i = 0; ; i++) {
      const a = await call(srv.url, "POST", "/v1/assignments", {
        body: { experimentKey: "checkout_redesign", userId: `tok_${Date.now()}_${i}`, context: { country: "US", platform: "web" } },
      });
      if (a.json?.exposureToken) {
        const body = String(a.json.exposureToken).split(".")[0]!;
        return { token: String(a.json.exposureToken), issued: JSON.parse(Buffer.from(body, "base64url").toString()).t };
      }
    }
  };
  before(async () => {
    dir = exampleRepo("exp-serve-tokens-");
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    srv = await startServe(dir, ["--no-auth"]);
  });
  after(async () => {
    await stopServe(srv.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("padding, standard base64, unused low bits or trailing characters: 400, and never a second exposure", async () => {
    const { token: t } = await token();
    const [body, sig] = t.split(".") as [string, string];
    const last = sig.at(-1)!;
    const reencoded = [
      `${t}=`,
      `${body}=.${sig}`,
      `${t}x`,
      `${t} `,
      `${body}.${sig}.`,
      `${body}.${sig.replace(/-/g, "+").replace(/_/g, "/")}${/[-_]/.test(sig) ? "" : "="}`,
      `${body}.${sig.slice(0, -1)}${B64URL[B64URL.indexOf(last) ^ 1]}`,
    ];
    for (const r of reencoded) {
      const a = await expose({ exposureToken: r });
      assert.equal(a.status, 400, `${JSON.stringify(r)} → ${a.text}`);
    }
    assert.deepEqual((await expose({ exposureToken: t })).json, { accepted: 1, duplicate: false });
    assert.deepEqual((await expose({ exposureToken: t })).json, { accepted: 0, duplicate: true });
  });

  test("ts before the token was issued or past the server's clock gets 400; a ts between is kept", async () => {
    const { token: t, issued } = await token();
    const early = await expose({ exposureToken: t, ts: new Date(issued - 60_000).toISOString() });
    assert.equal(early.status, 400, early.text);
    assert.match(String(early.json?.error), /before the exposure token was issued/);
    const late = await expose({ exposureToken: t, ts: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(late.status, 400, late.text);
    assert.match(String(late.json?.error), /later than the server's clock/);
    assert.equal((await expose({ exposureToken: t, ts: new Date(issued).toISOString() })).status, 202);
  });

  test("the data dir is 0700; the secret, segments, Parquet parts and quarantine are 0600", async () => {
    const data = join(dir, ".exp", "server");
    assert.equal(mode(data), 0o700);
    assert.equal(mode(join(data, "token-secret")), 0o600);
    await stopServe(srv.child);
    // A torn segment (a crash mid-write) behind the one a server would write next, so that
    // compaction writes a quarantine file as well as parts.
    const segDir = join(data, "exposures");
    writeFileSync(join(segDir, "exposures-999990.ndjson"), '{"id":"torn', { mode: 0o600 });
    writeFileSync(join(segDir, "exposures-999991.ndjson"), "", { mode: 0o600 });
    assert.equal(exp(dir, ["compact"]).status, 0);
    const files = [
      ...readdirSync(join(data, "parquet", "exposures")).map((f) => join(data, "parquet", "exposures", f)),
      ...readdirSync(join(data, "quarantine", "exposures")).map((f) => join(data, "quarantine", "exposures", f)),
    ];
    assert.ok(files.some((f) => f.endsWith(".parquet")) && files.some((f) => f.includes("quarantine")), files.join(", "));
    for (const f of files) assert.equal(mode(f), 0o600, f);
    for (const d of [join(data, "parquet"), join(data, "quarantine"), segDir]) assert.equal(mode(d), 0o700, d);
    srv = await startServe(dir, ["--no-auth"]);
    const segments = readdirSync(segDir).filter((f) => f.endsWith(".ndjson"));
    for (const f of segments) assert.equal(mode(join(segDir, f)), 0o600, f);
  });
});

describe("a weak or unreadable exposure-token secret stops exp serve", () => {
  let dir: string;
  before(() => {
    dir = exampleRepo("exp-serve-secret-");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const outcome = (env: Record<string, string>, args: string[] = []) =>
    startServe(dir, ["--no-auth", ...args], env).then(
      async (s) => {
        await stopServe(s.child);
        return "started";
      },
      (err: Error) => err.message,
    );

  test("an empty or short EXP_TOKEN_SECRET, and a kept secret that is not hex, are refused", async () => {
    assert.match(await outcome({ EXP_TOKEN_SECRET: "" }), /EXP_TOKEN_SECRET is 0 bytes long; it needs at least 16/);
    assert.match(await outcome({ EXP_TOKEN_SECRET: "short" }), /EXP_TOKEN_SECRET is 5 bytes long/);
    const data = join(dir, "weak-data");
    assert.equal(await outcome({}, ["--data-dir", "weak-data"]), "started");
    writeFileSync(join(data, "token-secret"), "zz".repeat(32));
    assert.match(await outcome({}, ["--data-dir", "weak-data"]), /must hold at least 16 bytes as hex/);
  });
});
