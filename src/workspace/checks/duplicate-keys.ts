import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";

/** Two files of one kind must not declare the same key (the second would silently shadow the first). */
export const duplicateKeysCheck: Check = {
  name: "duplicate-keys",
  run(ctx) {
    const first = new Map<string, (typeof ctx.declared)[number]>();
    const out: Diagnostic[] = [];
    for (const f of ctx.declared) {
      if (f.key === undefined) continue;
      const id = `${f.kind}:${f.key}`;
      const prev = first.get(id);
      if (!prev) first.set(id, f);
      else
        out.push(
          diagnostic(C.duplicateKey, `${f.kind} "${f.key}" is also declared in "${prev.path}"; keys must be unique`, {
            span: f.keySpan,
            related: prev.keySpan ? [{ message: "first declared here", span: prev.keySpan }] : [],
          }),
        );
    }
    return out;
  },
};
