import { test } from "node:test";
import assert from "node:assert/strict";
import type { AssignmentResult } from "../../../src/runtime/result.js";
import { assignmentAnswer } from "../../../src/runtime/server/routes/assignment-answer.js";

/** The answer as the route built it before it was written field by field. */
function stringified(r: AssignmentResult, experimentKey: string, exposureToken: string | null, exposureId: string | null): string {
  return JSON.stringify({
    experimentKey,
    variant: r.variant,
    config: r.config ?? null,
    url: r.url,
    inExperiment: r.inExperiment,
    reasons: r.reasons,
    hashKey: r.hashKey,
    bucket: r.bucket,
    exposureToken,
    exposureLogged: exposureId !== null,
    exposureId,
  });
}

const enrolled: AssignmentResult = {
  experiment: "checkout_redesign",
  variant: "one_page",
  config: { layout: "single", steps: [1, 2], note: 'quote " and \\ and \u2028', nothing: null },
  url: "https://shop.example/checkout?v=1&x=\u00e9",
  inExperiment: true,
  reasons: Object.freeze(["running", "not_in_holdout", "targeting_match", "in_traffic", "variant_assigned"]) as AssignmentResult["reasons"],
  bucket: 4242,
  hashKey: 'user_\u00e9\ud83d\ude00"42',
};
const outside: AssignmentResult = {
  experiment: "checkout_redesign",
  variant: null,
  config: undefined,
  url: null,
  inExperiment: false,
  reasons: ["running", "outside_layer_slot"] as AssignmentResult["reasons"],
  bucket: null,
  hashKey: "user_1",
};

test("an assignment answer written field by field is the text JSON.stringify gives of the answer", () => {
  const cases: [AssignmentResult, string, string | null, string | null][] = [
    [enrolled, "checkout_redesign", "eyJlIjoiY2hlY2tvdXQifQ.c2ln", "x-1"],
    [enrolled, 'key "quoted"\n', null, null],
    [outside, "checkout_redesign", null, null],
    [{ ...outside, config: null, bucket: 0 }, "k", null, null],
    [{ ...enrolled, config: false, url: undefined as unknown as null }, "k", "t", 'id "2"'],
    [{ ...enrolled, config: "text", bucket: 9999 }, "k", null, "x"],
  ];
  for (const [r, key, token, id] of cases) {
    const text = assignmentAnswer(r, { experimentKey: key, exposureToken: token, exposureId: id });
    assert.equal(text, stringified(r, key, token, id));
    // The same frozen list twice: the second text comes from what the first made.
    assert.equal(assignmentAnswer(r, { experimentKey: key, exposureToken: token, exposureId: id }), text);
  }
});

test("one frozen reasons list shared by experiments and variants gives each outcome its own text, in any order", () => {
  const shared = Object.freeze(["not_running"]) as AssignmentResult["reasons"];
  const a: AssignmentResult = { ...outside, experiment: "a", reasons: shared };
  const b: AssignmentResult = { ...outside, experiment: "b", reasons: shared };
  const enrolledA: AssignmentResult = { ...enrolled, experiment: "a", reasons: shared };
  for (const [r, key] of [
    [a, "a"],
    [b, "b"],
    [a, "a"],
    [enrolledA, "a"],
    [a, "a"],
    [{ ...enrolledA, config: { other: 1 } }, "a"],
  ] as const)
    assert.equal(assignmentAnswer(r, { experimentKey: key, exposureToken: null, exposureId: null }), stringified(r, key, null, null));
});
