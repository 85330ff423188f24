import type { AttributeType, PropertyType } from "../declarations.js";

/** The static type of an expression. "unknown" follows an error already reported, so it is compatible with everything. */
export type ExprType = "number" | "string" | "boolean" | "date" | "semver" | "duration" | "null" | "list" | "unknown" | { enum: string[] };

export function typeName(t: ExprType): string {
  if (typeof t === "object") return "an enum";
  switch (t) {
    case "number":
      return "a number";
    case "string":
      return "a string";
    case "boolean":
      return "a boolean";
    case "date":
      return "a date";
    case "semver":
      return "a version";
    case "duration":
      return "a duration";
    case "null":
      return "null";
    case "list":
      return "a list";
    case "unknown":
      return "unknown";
  }
}

export function fromDeclared(t: AttributeType | PropertyType): ExprType {
  return typeof t === "object" ? { enum: [...t.enum] } : t;
}

export function isStringLike(t: ExprType): boolean {
  return t === "string" || t === "unknown" || typeof t === "object";
}

export function isOrderable(t: ExprType): boolean {
  return t === "number" || t === "date" || t === "semver" || t === "unknown";
}
