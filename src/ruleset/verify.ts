import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { diagnostic, type Result } from "../diagnostics/diagnostic.js";
import { packageAsset } from "../fsio/package-assets.js";
import { rulesetChecksum } from "./checksum.js";
import { CONTRACT_CODES } from "./codes.js";
import { checkReferences } from "./references.js";
import type { Ruleset } from "./types.js";

const require = createRequire(import.meta.url);
let validator: ValidateFunction | undefined;

/** The ruleset JSON Schema validator, compiled once (schemas/ruleset.schema.json, draft 2020-12). */
function validate(): ValidateFunction {
  if (!validator) {
    const Ajv2020 = require("ajv/dist/2020.js").default;
    const addFormats = require("ajv-formats");
    // The first error only: collecting all of them made a valid 1,000-term "or" take seconds (quadratic in its length).
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    (addFormats.default ?? addFormats)(ajv);
    validator = ajv.compile(JSON.parse(readFileSync(packageAsset("schemas", "ruleset.schema.json"), "utf8"))) as ValidateFunction;
  }
  return validator;
}

/**
 * Checks a ruleset (parsed JSON, or its text) against the schema, recomputes its checksum, then
 * cross-checks its references (variants, layers, experiments, flags, segments).
 * Used on every load by the SDK and the server, and by plan/apply before publishing.
 */
export function verifyRuleset(input: unknown): Result<Ruleset> {
  let json = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch (err) {
      const message = `The ruleset is not valid JSON (${(err as Error).message}); republish it with "exp apply".`;
      return { diagnostics: [diagnostic(CONTRACT_CODES.notJson, message)] };
    }
  }
  // Untrusted input (a PUT to `exp serve`): the schema, the checksum and the references all recurse, so depth comes first.
  const deep = tooDeep(json);
  if (deep) return { diagnostics: [diagnostic(CONTRACT_CODES.schemaInvalid, deep)] };
  const v = validate();
  if (!v(json)) {
    const diagnostics = (v.errors ?? [])
      .slice(0, 20)
      .map((e: ErrorObject) =>
        diagnostic(
          CONTRACT_CODES.schemaInvalid,
          `Ruleset field "${e.instancePath || "/"}" ${e.message ?? "is invalid"}; recompile it with "exp export --format ruleset".`,
        ),
      );
    return { diagnostics };
  }
  const r = json as Ruleset;
  const expected = rulesetChecksum(r);
  if (expected !== r.checksum) {
    const message = `Ruleset version ${r.version} has checksum "${r.checksum}" but its content hashes to "${expected}"; it was altered after compilation.`;
    return { diagnostics: [diagnostic(CONTRACT_CODES.checksumMismatch, message)] };
  }
  const references = checkReferences(r);
  if (references.length > 0) return { diagnostics: references };
  return { value: r, diagnostics: [] };
}

/**
 * How deeply a ruleset may nest (docs/language.md "Limits"). A condition or value is an object with
 * an "op"; the compiler never nests them more than about 100 levels (the expression language's own
 * limit). The JSON limit covers everything else, variant configs included (YAML allows 100 levels).
 */
export const MAX_CONDITION_DEPTH = 128;
export const MAX_JSON_DEPTH = 256;

/** Why the JSON nests too deeply, or undefined; iterative, one visit a value. */
function tooDeep(json: unknown): string | undefined {
  const stack: { value: unknown; depth: number; ops: number; path: string; root: string }[] = [
    { value: json, depth: 0, ops: 0, path: "", root: "" },
  ];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { value, depth, path } = top;
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_JSON_DEPTH)
      return `The ruleset nests more than ${MAX_JSON_DEPTH} levels deep at "${path.slice(0, 200)}"; recompile it with "exp export --format ruleset".`;
    const isOp = !Array.isArray(value) && typeof (value as { op?: unknown }).op === "string";
    const ops = isOp ? top.ops + 1 : top.ops;
    const root = isOp && top.ops === 0 ? path : top.root;
    if (ops > MAX_CONDITION_DEPTH)
      return `The condition at "${root || "/"}" nests more than ${MAX_CONDITION_DEPTH} levels deep; recompile the ruleset with "exp export --format ruleset", which keeps conditions within the limit.`;
    // Paths are only kept short enough to name the place; their length is bounded by the depth limit.
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, depth: depth + 1, ops, path: `${path}/${key}`, root });
  }
  return undefined;
}
