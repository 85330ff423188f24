import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
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
    const ajv = new Ajv2020({ allErrors: true, strict: false });
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
export function verifyRuleset(input: unknown): { ok: boolean; ruleset?: Ruleset; diagnostics: Diagnostic[] } {
  let json = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch (err) {
      const message = `The ruleset is not valid JSON (${(err as Error).message}); republish it with "exp apply".`;
      return { ok: false, diagnostics: [diagnostic(CONTRACT_CODES.notJson, message)] };
    }
  }
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
    return { ok: false, diagnostics };
  }
  const r = json as Ruleset;
  const expected = rulesetChecksum(r);
  if (expected !== r.checksum) {
    const message = `Ruleset version ${r.version} has checksum "${r.checksum}" but its content hashes to "${expected}"; it was altered after compilation.`;
    return { ok: false, diagnostics: [diagnostic(CONTRACT_CODES.checksumMismatch, message)] };
  }
  const references = checkReferences(r);
  if (references.length > 0) return { ok: false, diagnostics: references };
  return { ok: true, ruleset: r, diagnostics: [] };
}
