import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresWarehouse } from "../../src/analysis/postgres-warehouse.js";
import { diagnostic } from "../../src/diagnostics/diagnostic.js";
import { ExpError } from "../../src/diagnostics/errors.js";
import { redactCredentials } from "../../src/diagnostics/redact.js";
import { HttpTarget } from "../../src/plan/target/http.js";
import { WorkspaceCodes } from "../../src/workspace/codes.js";

/*
 * Credentials inside a URL were printed in errors, which `plan-on-pr` posts to the pull request.
 * Every diagnostic and every ExpError now masks a URL's user and password and the secret-named
 * parameters of its query.
 */
describe("credentials in URLs never reach a message", () => {
  for (const [input, output] of [
    ["https://user:pass@flags.example.com/v1", "https://***@flags.example.com/v1"],
    ["postgres://alice:p@ss:w0rd@db:5432/x", "postgres://***@db:5432/x"],
    ["https://ghp_abc123@github.com/o/r.git", "https://***@github.com/o/r.git"],
    ["https://h/v1?token=abc&x=1", "https://h/v1?token=***&x=1"],
    ["https://h/?access_token=abc#f", "https://h/?access_token=***#f"],
    ["https://h/?a=1&api_key=k1&X-Amz-Signature=s1&sig=s2", "https://h/?a=1&api_key=***&X-Amz-Signature=***&sig=***"],
    ['could not reach "https://u:p@h/?password=x" (ECONNREFUSED)', 'could not reach "https://***@h/?password=***" (ECONNREFUSED)'],
  ] as const) {
    test(input, () => assert.equal(redactCredentials(input), output));
  }

  test("what is not a credential is left alone", () => {
    for (const text of ["https://flags.example.com:8080/v1?design=1&page=2", 'mail "a@b.com"', "user@host", 'the key "x" in exp.yaml'])
      assert.equal(redactCredentials(text), text);
  });

  test("diagnostic() masks its message, suggestion and related messages", () => {
    const d = diagnostic(WorkspaceCodes.tooDeep, "at https://u:secret@h/", {
      suggestion: "try https://h/?token=t0k",
      related: [
        {
          message: "see https://u:secret@h/",
          span: { file: "exp.yaml", line: 1, column: 1, endLine: 1, endColumn: 2, offset: 0, endOffset: 1 },
        },
      ],
    });
    assert.equal(JSON.stringify(d).includes("secret") || JSON.stringify(d).includes("t0k"), false, JSON.stringify(d));
  });

  test("an ExpError built from a hand-made diagnostic is masked, message and diagnostic alike", () => {
    const err = new ExpError({ code: "EXP4001", severity: "error", message: "cannot reach https://u:secret@h/", suggestion: "?token=t0k" });
    assert.equal(err.message, "cannot reach https://***@h/");
    assert.equal(err.diagnostic.message, "cannot reach https://***@h/");
    assert.equal(err.diagnostic.suggestion, "?token=***");
  });

  test("the http publish target's errors show the URL without its credentials", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exp-redact-"));
    try {
      const target = new HttpTarget({
        url: "http://publisher:s3cret@127.0.0.1:1/?token=t0k",
        stateDir: join(dir, "state"),
        timeoutMs: 2_000,
      });
      assert.equal(target.description, "http http://***@127.0.0.1:1/?token=***");
      const err = await target.current().then(
        () => assert.fail("reading from an unreachable target must fail"),
        (e: unknown) => e as ExpError,
      );
      assert.ok(err instanceof ExpError);
      const text = `${err.message} ${JSON.stringify(err.diagnostic)}`;
      assert.match(text, /http:\/\/\*\*\*@127\.0\.0\.1:1/);
      assert.doesNotMatch(text, /s3cret|t0k/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a warehouse URL that does not parse is a connection diagnostic, not an error carrying the URL", async () => {
    const err = await PostgresWarehouse.open("postgres://alice:s3cret@[::zz]/db").then(
      () => assert.fail("the URL does not parse"),
      (e: unknown) => e as ExpError & { input?: unknown },
    );
    assert.ok(err instanceof ExpError, String(err));
    assert.equal(err.diagnostic.code, "EXP6107");
    assert.equal(err.input, undefined);
    assert.doesNotMatch(JSON.stringify(err.diagnostic) + err.message, /s3cret/);
  });
});
