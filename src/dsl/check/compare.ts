import { didYouMean } from "../../diagnostics/suggest.js";
import type { Expr } from "../ast.js";
import { printExpr } from "../printer.js";
import type { CheckContext } from "./context.js";
import { isSemver } from "../../ruleset/semver.js";
import { isOrderable, typeName, type ExprType } from "./types.js";

/** How an operand appears in a message: literals as written, anything else as short source text in quotes. */
export function show(e: Expr): string {
  const text = printExpr(e);
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  const bare =
    e.kind === "string" ||
    e.kind === "number" ||
    e.kind === "percent" ||
    e.kind === "duration" ||
    e.kind === "boolean" ||
    e.kind === "null";
  return bare ? short : `"${short}"`;
}

/**
 * The pairwise compatibility of `==`, `!=` and `in`: `value` is the tested side, `other` the side it is compared with.
 * Returns false when it reported something.
 */
export function checkEqualityPair(ctx: CheckContext, value: Expr, other: Expr, op: string, inList = false): boolean {
  const vt = ctx.typeOf(value);
  const ot = ctx.typeOf(other);
  if (vt === "unknown" || ot === "unknown" || vt === "duration" || ot === "duration") return true;
  if (vt === "null" || ot === "null") {
    const target = vt === "null" ? other : value;
    ctx.report(
      "nullComparison",
      `Test for null with "is null" or "is not null", not "${op}"`,
      (vt === "null" ? value : other).span,
      `write ${show(target).replace(/^"|"$/g, "")} is null`,
    );
    return false;
  }
  const code = inList ? "listElementType" : "equalityType";
  if (typeof vt === "object" || typeof ot === "object") return enumPair(ctx, value, vt, other, ot, op, code);
  if (vt === "semver" || ot === "semver") return versionPair(ctx, value, vt, other, ot, op, code);
  if (vt === "date" || ot === "date") return datePair(ctx, value, vt, other, ot, op, code);
  if (vt !== ot) {
    ctx.report(code, mismatch(value, vt, other, ot, op, code), other.span);
    return false;
  }
  return true;
}

/** `<`, `<=`, `>`, `>=` and `between`: both sides ordered and of the same kind. */
export function checkOrderingPair(ctx: CheckContext, value: Expr, other: Expr, op: string): boolean {
  const vt = ctx.typeOf(value);
  const ot = ctx.typeOf(other);
  if (vt === "duration" || ot === "duration") return true;
  for (const [e, t, partner] of [
    [value, vt, ot],
    [other, ot, vt],
  ] as const) {
    // A string literal next to a version is a version spelt as text; it is checked below.
    if (t === "string" && e.kind === "string" && partner === "semver") continue;
    if (t === "string" && e.kind === "string" && partner === "date") continue;
    if (!isOrderable(t)) {
      ctx.report("orderingType", `"${op}" needs numbers, dates or versions, but ${describe(e, t)}`, e.span);
      return false;
    }
  }
  if (vt === "unknown" || ot === "unknown") return true;
  if (vt === "semver" || ot === "semver") return versionPair(ctx, value, vt, other, ot, op, "orderingType");
  if (vt === "date" || ot === "date") return datePair(ctx, value, vt, other, ot, op, "orderingType");
  return true;
}

function describe(e: Expr, t: ExprType): string {
  return `${show(e)} is ${typeName(t)}`;
}

type MismatchCode = "equalityType" | "orderingType" | "listElementType";

function mismatch(a: Expr, at: ExprType, b: Expr, bt: ExprType, op: string, code: MismatchCode = "equalityType"): string {
  if (code === "listElementType") return `List element ${show(b)} is ${typeName(bt)}, but ${show(a)} is ${typeName(at)}`;
  return `Cannot compare ${show(a)} (${typeName(at)}) with ${show(b)} (${typeName(bt)}) using "${op}"`;
}

function enumPair(ctx: CheckContext, value: Expr, vt: ExprType, other: Expr, ot: ExprType, op: string, code: MismatchCode): boolean {
  const [enumSide, enumType, rest, restType] =
    typeof vt === "object" ? [value, vt, other, ot] : [other, ot as { enum: string[] }, value, vt];
  if (typeof restType === "object" || restType === "string") {
    if (rest.kind === "string" && !enumType.enum.includes(rest.value)) {
      ctx.report(
        "enumValue",
        `${JSON.stringify(rest.value)} is not a value of ${show(enumSide)}; it is one of ${enumType.enum.map((v) => JSON.stringify(v)).join(", ")}`,
        rest.span,
        didYouMean(rest.value, enumType.enum),
      );
      return false;
    }
    return true;
  }
  ctx.report(code, mismatch(value, vt, other, ot, op, code), other.span);
  return false;
}

function versionPair(ctx: CheckContext, value: Expr, vt: ExprType, other: Expr, ot: ExprType, op: string, code: MismatchCode): boolean {
  const [, , rest, restType] = vt === "semver" ? [value, vt, other, ot] : [other, ot, value, vt];
  if (restType === "semver") return true;
  if (restType === "string" && rest.kind === "string") {
    if (isSemver(rest.value)) return true;
    ctx.report("invalidSemver", `${JSON.stringify(rest.value)} is not a valid semantic version such as "1.2.3"`, rest.span);
    return false;
  }
  ctx.report(code, mismatch(value, vt, other, ot, op, code), other.span);
  return false;
}

function datePair(ctx: CheckContext, value: Expr, vt: ExprType, other: Expr, ot: ExprType, op: string, code: MismatchCode): boolean {
  const rest = vt === "date" ? other : value;
  const restType = vt === "date" ? ot : vt;
  if (restType === "date") return true;
  const suggestion = rest.kind === "string" ? `write date(${JSON.stringify(rest.value)})` : undefined;
  ctx.report(code, mismatch(value, vt, other, ot, op, code), rest.span, suggestion);
  return false;
}
