import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createEvaluator } from "../../src/runtime/evaluator.js";
import { redirectUrl } from "../../src/runtime/redirect.js";
import { splitUrlRuleset } from "./split-url-fixture.js";

const to = (url: string | null) => ({ inExperiment: true, url });

describe("redirectUrl: where a split-URL assignment sends the visitor", () => {
  test("units not enrolled, or enrolled in a variant without a url, stay", () => {
    assert.equal(redirectUrl({ inExperiment: false, url: null }, "https://a.example/"), null);
    assert.equal(redirectUrl({ inExperiment: false, url: "https://a.example/b" }, "https://a.example/"), null);
    assert.equal(redirectUrl(to(null), "https://a.example/"), null);
  });

  test("a visitor already on the variant's page stays, whatever the query or fragment: no redirect loop", () => {
    assert.equal(redirectUrl(to("https://a.example/b?v=1"), "https://a.example/b?utm_source=x#f"), null);
    assert.equal(redirectUrl(to("https://a.example/b"), "https://A.EXAMPLE:443/b"), null);
    assert.equal(redirectUrl(to("https://a.example/b"), "/b"), null);
    // Following the answer once always lands where the helper says stay.
    const first = redirectUrl(to("https://a.example/b?v=1"), "https://a.example/?utm_source=x");
    assert.equal(first, "https://a.example/b?v=1&utm_source=x");
    assert.equal(redirectUrl(to("https://a.example/b?v=1"), first!), null);
  });

  test("the visitor's query is kept after the variant's; the variant wins every repeat of a clashing name", () => {
    assert.equal(
      redirectUrl(to("https://a.example/b?utm_source=split"), "https://a.example/?utm_source=ads&utm_source=x&utm_campaign=c"),
      "https://a.example/b?utm_source=split&utm_campaign=c",
    );
    assert.equal(
      redirectUrl(to("https://a.example/b?x%5Fy=1"), "https://a.example/?x_y=2&q=a%20b+c"),
      "https://a.example/b?x%5Fy=1&q=a%20b+c",
    );
  });

  test("the visitor's fragment is kept unless the variant url has one", () => {
    assert.equal(redirectUrl(to("https://a.example/b"), "https://a.example/#reviews"), "https://a.example/b#reviews");
    assert.equal(redirectUrl(to("https://a.example/b#top"), "https://a.example/#reviews"), "https://a.example/b#top");
  });

  test("relative current urls are on the variant's site; relative variant urls resolve against the page", () => {
    assert.equal(redirectUrl(to("https://a.example/b"), "/landing?utm_source=x"), "https://a.example/b?utm_source=x");
    assert.equal(redirectUrl(to("/b"), "https://a.example/c/landing?u=1"), "https://a.example/b?u=1");
    assert.equal(redirectUrl(to("b"), "https://a.example/c/landing"), "https://a.example/c/b");
    assert.equal(redirectUrl(to("/b?v=1"), "/landing?u=1#f"), "/b?v=1&u=1#f");
  });

  test("another host, scheme or port is another page", () => {
    assert.equal(redirectUrl(to("https://b.example/"), "https://a.example/?u=1"), "https://b.example/?u=1");
    assert.equal(redirectUrl(to("https://a.example/b"), "http://a.example/b"), "https://a.example/b");
    assert.equal(redirectUrl(to("https://a.example/b"), "https://a.example:8443/b"), "https://a.example/b");
  });

  test("an assignment from the evaluator feeds the helper directly", () => {
    const ev = createEvaluator(splitUrlRuleset());
    const a = ev.assign("landing", "u1", {}, Date.parse("2026-12-10T00:00:00Z"));
    assert.equal(redirectUrl(a, `${a.url}`), null);
    assert.equal(redirectUrl(ev.assign("plain", "u1"), "https://shop.example.com/"), null);
  });
});
