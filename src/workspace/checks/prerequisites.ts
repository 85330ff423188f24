import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Flag } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check } from "./context.js";

/** Prerequisites name existing flags and variants, a bare prerequisite is a boolean flag, and no flag depends on itself. */
export const prerequisitesCheck: Check = {
  name: "prerequisites",
  run({ workspace: ws, known }) {
    const out: Diagnostic[] = [];
    for (const f of ws.flags.values()) {
      f.prerequisites.forEach((pre, i) => {
        const p = `prerequisites.${i}`;
        const span = f.origin.values[`${p}.flag`] ?? f.origin.values[p];
        if (pre.flag === f.key)
          return void out.push(diagnostic(C.prerequisiteSelf, `flag "${f.key}" lists itself as a prerequisite; remove it`, { span: span }));
        const d = unknownName(C.unknownFlag, "flag", pre.flag, known.flags, span, "add flags/<name>.yaml or fix the name");
        if (d) return void out.push(d);
        const target = ws.flags.get(pre.flag);
        if (!target) return;
        if (pre.variant !== undefined) {
          const v = unknownName(
            C.unknownVariant,
            "variant",
            pre.variant,
            target.variants.map((x) => x.key),
            f.origin.values[`${p}.variant`],
            `use one of the variants of flag "${target.key}"`,
          );
          if (v) out.push(v);
        } else if (target.type !== "boolean") {
          out.push(
            diagnostic(
              C.prerequisiteNotBoolean,
              `prerequisite "${pre.flag}" is a ${target.type} flag, so it never evaluates to true; name the variant it must serve: {flag: ${pre.flag}, variant: <name>}`,
              { span: span },
            ),
          );
        }
      });
    }
    out.push(...cycles(ws.flags));
    return out;
  },
};

/** One diagnostic per cycle, reported at the edge that closes it in the alphabetically first flag. */
function cycles(flags: Map<string, Flag>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (key: string): void => {
    state.set(key, 1);
    stack.push(key);
    const f = flags.get(key)!;
    f.prerequisites.forEach((pre, i) => {
      if (pre.flag === key || !flags.has(pre.flag)) return;
      const s = state.get(pre.flag);
      if (s === 1) {
        const loop = stack.slice(stack.indexOf(pre.flag));
        const id = [...loop].sort().join(">");
        if (reported.has(id)) return;
        reported.add(id);
        const path = [...loop, pre.flag].join(" → ");
        out.push(
          diagnostic(C.prerequisiteCycle, `prerequisites form a cycle: ${path}; remove one of them`, {
            span: f.origin.values[`prerequisites.${i}.flag`] ?? f.origin.values[`prerequisites.${i}`],
          }),
        );
      } else if (s === undefined) visit(pre.flag);
    });
    stack.pop();
    state.set(key, 2);
  };
  for (const key of [...flags.keys()].sort()) if (!state.has(key)) visit(key);
  return out;
}
