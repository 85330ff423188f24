// The definitions hash of an analysis's provenance: what the analysis reads counts, nothing else does.
import assert from "node:assert/strict";
import { test } from "node:test";
import { analysisDefinitions, sha256 } from "../../src/analysis/provenance.js";
import { canonicalJson } from "../../src/ruleset/canonical-json.js";
import type { Experiment, Metric, Settings } from "../../src/workspace/model.js";
import { makeExperiment, makeMetric, makeSettings } from "../compiler/sql/fixture-workspace.js";

const hash = (experiment: Experiment, metrics: Metric[], settings: Settings) =>
  sha256(canonicalJson(analysisDefinitions(experiment, metrics, settings)));

const settings = (attributes: Settings["attributes"]): Settings => ({ ...makeSettings(), attributes });
const revenue = makeMetric("revenue", "sum(purchase.value)", { windowDays: 7, cuped: true });
const withAttributes = (names: string[]): Metric => ({
  ...revenue,
  cuped_attributes: names.map((attribute, i) => ({ attribute, index: i + 1 })),
});
const experiment = makeExperiment("exp1", ["revenue"]);

test("a metric's attribute covariates, and their declared types, count in the definitions hash", () => {
  const declared = settings({ tenure_days: "number", is_member: "boolean", country: "string" });
  const plain = hash(experiment, [revenue], declared);
  const tenure = hash(experiment, [withAttributes(["tenure_days"])], declared);
  assert.notEqual(tenure, plain, "adding an attribute covariate changes the hash");
  assert.notEqual(hash(experiment, [withAttributes(["is_member"])], declared), tenure, "another attribute changes it");
  assert.notEqual(
    hash(experiment, [withAttributes(["tenure_days"])], settings({ tenure_days: "boolean", is_member: "boolean", country: "string" })),
    tenure,
    "the attribute's declared type changes it",
  );
  assert.equal(
    hash(experiment, [withAttributes(["tenure_days"])], settings({ tenure_days: "number", is_member: "boolean", plan: "string" })),
    tenure,
    "an attribute the analysis does not read does not",
  );
  const moved = { ...revenue, cuped_attributes: [{ attribute: "tenure_days", index: 3 }] };
  assert.equal(hash(experiment, [moved], declared), tenure, "the entry's place in the YAML list does not");
});

test("the attributes a breakdown or a fairness check reads count with their types", () => {
  const byCountry = { ...experiment, analysis: { ...experiment.analysis, dimensions: ["country"] } };
  const a = hash(byCountry, [revenue], settings({ country: "string" }));
  assert.notEqual(hash(byCountry, [revenue], settings({ country: "number" })), a);
  assert.equal(hash(byCountry, [revenue], settings({ country: "string", plan: "string" })), a);
  const fair: Experiment = {
    ...experiment,
    fairness: { attribute: "age_band", metrics: ["revenue"], max_disparity: 0.02, min_group_units: 100, labels: {} },
  };
  const f = hash(fair, [revenue], settings({ age_band: "string" }));
  assert.notEqual(hash(fair, [revenue], settings({ age_band: "number" })), f);
});
