import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { diagnostic, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import { didYouMean } from "../diagnostics/suggest.js";
import { packageAsset } from "../fsio/package-assets.js";
import type { Origin } from "./model.js";
import { WorkspaceCodes as C } from "./codes.js";

export type FileKind = "exp" | "metric" | "experiment" | "flag" | "segment" | "layers" | "evaluation";

let ajv: Ajv | undefined;
const validators = new Map<FileKind, ValidateFunction>();
const schemas = new Map<FileKind, SchemaNode>();

export interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
  [k: string]: unknown;
}

export function loadSchema(kind: FileKind): SchemaNode {
  let s = schemas.get(kind);
  if (!s) {
    s = JSON.parse(readFileSync(packageAsset("schemas", `${kind}.schema.json`), "utf8")) as SchemaNode;
    schemas.set(kind, s);
  }
  return s;
}

function validator(kind: FileKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: false });
    v = ajv.compile(loadSchema(kind));
    validators.set(kind, v);
  }
  return v;
}

/** Validates a file's plain value against its schema; every error becomes a diagnostic at the offending key or value. */
export function checkSchema(kind: FileKind, value: unknown, origin: Origin): Diagnostic[] {
  const validate = validator(kind);
  if (validate(value)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const d = toDiagnostic(e, origin);
    if (!d) continue;
    const id = `${d.code}|${d.span?.offset}|${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
  return out;
}

function pathOf(instancePath: string): string {
  if (instancePath === "") return "";
  return instancePath
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .join(".");
}

function child(path: string, seg: string): string {
  return path === "" ? seg : `${path}.${seg}`;
}

function describe(v: unknown): string {
  if (v === null) return "nothing (null)";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number") return Number.isInteger(v) ? "a number" : "a decimal number";
  if (typeof v === "boolean") return "a boolean";
  return `a ${typeof v}`;
}

const typeWords: Record<string, string> = {
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
  null: "nothing",
};

function label(path: string): string {
  return path === "" ? "the file" : `"${path}"`;
}

function toDiagnostic(e: ErrorObject, origin: Origin): Diagnostic | undefined {
  const path = pathOf(e.instancePath);
  const valueSpan = origin.values[path] ?? origin.keys[path] ?? origin.values[""];
  const keySpan = origin.keys[path] ?? valueSpan;
  const last = path.split(".").pop() ?? "";
  if (e.propertyName !== undefined) {
    // A key (not a value) failed: the propertyNames pattern.
    if (e.keyword !== "pattern") return undefined;
    const p = child(path, e.propertyName);
    return diagnostic(
      C.badKeyName,
      `name "${e.propertyName}" must start with a lowercase letter and use only a-z, 0-9 and _ (at most 64 characters)`,
      { span: origin.keys[p] ?? keySpan, suggestion: suggestKey(e.propertyName) },
    );
  }
  switch (e.keyword) {
    case "additionalProperties": {
      const prop = String(e.params.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown>) ?? {});
      const where = path === "" ? "" : ` in "${path}"`;
      const msg = allowed.length
        ? `unknown key "${prop}"${where}; remove it or use one of the documented keys`
        : `unknown key "${prop}"${where}; this mapping takes no other keys`;
      return diagnostic(C.unknownKey, msg, { span: origin.keys[child(path, prop)] ?? keySpan, suggestion: didYouMean(prop, allowed) });
    }
    case "type": {
      const want = ([] as string[])
        .concat(e.params.type as string | string[])
        .map((t) => typeWords[t] ?? t)
        .join(" or ");
      return diagnostic(C.wrongType, `${label(path)} expected ${want}, found ${describe(e.data)}`, { span: valueSpan });
    }
    case "required": {
      const prop = String(e.params.missingProperty);
      const span = path === "" ? firstKeySpan(origin) : keySpan;
      return diagnostic(C.missingKey, `${path === "" ? "the file" : `"${path}"`} is missing the required key "${prop}"; add it`, {
        span: span,
      });
    }
    case "enum":
    case "const": {
      const allowed = (e.keyword === "enum" ? (e.params.allowedValues as unknown[]) : [e.params.allowedValue]).map(String);
      const shown = typeof e.data === "string" ? `"${e.data}"` : JSON.stringify(e.data);
      return diagnostic(C.badEnum, `${label(path)} cannot be ${shown}; use one of ${allowed.map((a) => `"${a}"`).join(", ")}`, {
        span: valueSpan,
        suggestion: typeof e.data === "string" ? didYouMean(e.data, allowed) : undefined,
      });
    }
    case "pattern":
      return patternDiag(e, path, last, valueSpan);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const cmp = { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" }[e.keyword];
      return diagnostic(C.outOfRange, `${label(path)} is ${JSON.stringify(e.data)} but must be ${cmp} ${e.params.limit}${hintPercent(e)}`, {
        span: valueSpan,
      });
    }
    case "minItems":
    case "maxItems":
    case "minProperties":
    case "maxProperties": {
      const n = e.params.limit as number;
      const what = e.keyword.endsWith("Items") ? "entries" : "entries";
      const bound = e.keyword.startsWith("min") ? "at least" : "at most";
      return diagnostic(C.badCount, `${label(path)} needs ${bound} ${n} ${n === 1 ? "entry" : what}`, { span: keySpan });
    }
    case "if":
    case "propertyNames":
      // Reported through the branch's own errors (usually "required").
      return undefined;
    default:
      return diagnostic(C.schemaOther, `${label(path)} is not valid here (${e.keyword}); see the schema for this file`, {
        span: valueSpan,
      });
  }
}

function hintPercent(e: ErrorObject): string {
  const s = e.parentSchema as { pattern?: string } | undefined;
  return s?.pattern?.includes("%") ? ` (write shares as a percent such as "50%", or a fraction between 0 and 1)` : "";
}

function patternDiag(e: ErrorObject, path: string, last: string, span: Span | undefined): Diagnostic {
  const pattern = String(e.params.pattern);
  const v = JSON.stringify(e.data);
  if (pattern.startsWith("^[a-z][a-z0-9_]")) {
    return diagnostic(C.badKeyName, `name ${v} must start with a lowercase letter and use only a-z, 0-9 and _ (at most 64 characters)`, {
      span,
      suggestion: suggestKey(String(e.data)),
    });
  }
  let expected = "the documented format";
  if (pattern.includes("[dhm]")) expected = `a duration such as "14d", "6h" or "30m"`;
  else if (pattern.includes("%")) expected = `a percent such as "50%"`;
  else if (pattern.includes("T ]")) expected = `an ISO-8601 timestamp such as "2026-12-01T00:00:00Z"`;
  return diagnostic(C.badFormat, `${label(path || last)} is ${v} but must be ${expected}`, { span });
}

/** A name that breaks only the spelling rule gets its lowercase, underscored form as a suggestion. */
function suggestKey(name: string): string | undefined {
  const fixed = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .slice(0, 64);
  return fixed && fixed !== name ? `did you mean "${fixed}"?` : undefined;
}

function firstKeySpan(origin: Origin): Span | undefined {
  let best: Span | undefined;
  for (const [p, s] of Object.entries(origin.keys)) if (!p.includes(".") && (!best || s.offset < best.offset)) best = s;
  return best ?? origin.values[""];
}
