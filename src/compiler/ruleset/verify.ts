import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Ruleset } from "../../runtime/ruleset.js";
import { rulesetChecksum } from "./checksum.js";
import { RULESET_CODES } from "./codes.js";
import { checkReferences } from "./references.js";

const require = createRequire(import.meta.url);
let validator: ValidateFunction | undefined;

/** The ruleset JSON Schema validator, compiled once (schemas/ruleset.schema.json, draft 2020-12). */
function validate(): ValidateFunction {
  if (!validator) {
    const Ajv2020 = require("ajv/dist/2020.js").default;
    const addFormats = require("ajv-formats");
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats.default ?? addFormats)(ajv);
    validator = ajv.compile(loadSchema()) as ValidateFunction;
  }
  return validator;
}

/** The schema ships in schemas/ at the package root: three folders up from src/, four from dist/src/. */
function loadSchema(): object {
  for (const rel of ["../../../schemas/ruleset.schema.json", "../../../../schemas/ruleset.schema.json"]) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return JSON.parse(readFileSync(url, "utf8"));
  }
  throw new Error("schemas/ruleset.schema.json is missing from the package");
}

/**
 * Checks a ruleset (parsed JSON, or its text) against the schema, recomputes its checksum, then
 * cross-checks its references (variants, layers, experiments, flags, segments).
 * Used on every load by the SDK, and by plan/apply before publishing.
 */
export function verifyRuleset(input: unknown): { ok: boolean; ruleset?: Ruleset; diagnostics: Diagnostic[] } {
  let json = input;
  if (typeof input === "string") {
    try {
      json = JSON.parse(input);
    } catch (err) {
      return {
        ok: false,
        diagnostics: [
          {
            code: RULESET_CODES.notJson.code,
            severity: "error",
            message: `The ruleset is not valid JSON (${(err as Error).message}); republish it with "exp apply".`,
          },
        ],
      };
    }
  }
  const v = validate();
  if (!v(json)) {
    const diagnostics = (v.errors ?? []).slice(0, 20).map((e: ErrorObject) => ({
      code: RULESET_CODES.schemaInvalid.code,
      severity: "error" as const,
      message: `Ruleset field "${e.instancePath || "/"}" ${e.message ?? "is invalid"}; recompile it with "exp export --format ruleset".`,
    }));
    return { ok: false, diagnostics };
  }
  const r = json as Ruleset;
  const expected = rulesetChecksum(r as unknown as Record<string, unknown>);
  if (expected !== r.checksum) {
    return {
      ok: false,
      diagnostics: [
        {
          code: RULESET_CODES.checksumMismatch.code,
          severity: "error",
          message: `Ruleset version ${r.version} has checksum "${r.checksum}" but its content hashes to "${expected}"; it was altered after compilation.`,
        },
      ],
    };
  }
  const references = checkReferences(r);
  if (references.length > 0) return { ok: false, diagnostics: references };
  return { ok: true, ruleset: r, diagnostics: [] };
}
