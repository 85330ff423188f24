import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Origin } from "../declarations.js";
import type { CallExpr, Expr } from "../ast.js";
import { DSL_CODES } from "../codes.js";
import { walk } from "./condition.js";

/** The `segment("name")` calls of a condition, in source order. */
export function segmentReferences(expr: Expr): CallExpr[] {
  const calls: CallExpr[] = [];
  walk(expr, (e) => {
    if (e.kind === "call" && e.name === "segment" && e.args.length === 1 && e.args[0]!.kind === "string") calls.push(e);
  });
  return calls;
}

function target(call: CallExpr): string {
  const arg = call.args[0]!;
  return arg.kind === "string" ? arg.value : "";
}

/**
 * One diagnostic per reference cycle among segments, at the segment("...") call that starts the cycle in its
 * alphabetically first segment, naming the whole path (a → b → a). Calls to unknown segments are not edges.
 */
export function findSegmentCycles(segments: Map<string, { when: Expr; origin: Origin }>): Diagnostic[] {
  const edges = new Map<string, CallExpr[]>();
  for (const [name, s] of segments)
    edges.set(
      name,
      segmentReferences(s.when).filter((c) => segments.has(target(c))),
    );

  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const state = new Map<string, "active" | "done">();
  const stack: { name: string; via?: CallExpr }[] = [];

  const visit = (name: string): void => {
    state.set(name, "active");
    for (const call of edges.get(name) ?? []) {
      const next = target(call);
      if (state.get(next) === "active") {
        const start = stack.findIndex((f) => f.name === next);
        const cycle = [...stack.slice(start + 1).map((f) => f.via!), call];
        report(cycle);
        continue;
      }
      if (state.get(next) === undefined) {
        stack.push({ name: next, via: call });
        visit(next);
        stack.pop();
      }
    }
    state.set(name, "done");
  };

  const report = (calls: CallExpr[]): void => {
    // calls[i] is made by the segment that calls[i-1] targets; rotate so the cycle starts at its smallest name.
    const names = calls.map((c) => target(c));
    const owners = names.map((_, i) => names[(i + names.length - 1) % names.length]!);
    let first = 0;
    owners.forEach((o, i) => {
      if (o < owners[first]!) first = i;
    });
    const rotated = [...calls.slice(first), ...calls.slice(0, first)];
    const path = [owners[first]!, ...rotated.map((c) => target(c))];
    const key = path.join("\u0000");
    if (seen.has(key)) return;
    seen.add(key);
    const head = rotated[0]!;
    const info = DSL_CODES.segmentCycle;
    diagnostics.push(
      diagnostic(
        info,
        path.length === 2
          ? `Segment "${path[0]}" refers to itself (${path.join(" → ")})`
          : `Segments refer to each other in a cycle: ${path.join(" → ")}`,
        {
          span: head.span,
          related: rotated.slice(1).map((c, i) => ({ message: `"${path[i + 1]}" refers to "${target(c)}" here`, span: c.span })),
        },
      ),
    );
  };

  for (const name of [...segments.keys()].sort()) {
    if (state.get(name) === undefined) {
      stack.push({ name });
      visit(name);
      stack.pop();
    }
  }
  return diagnostics;
}
