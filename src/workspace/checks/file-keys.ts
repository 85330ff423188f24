import { CheckCodes as C } from "./codes.js";
import { type Check } from "./context.js";
import { diagnostic } from "../../diagnostics/diagnostic.js";

/** Every file's key equals its file name, so references can be found by file. */
export const fileKeysCheck: Check = {
  name: "file-keys",
  run(ctx) {
    return ctx.declared
      .filter((f) => f.key !== undefined && f.key !== f.stem)
      .map((f) =>
        diagnostic(
          C.keyMismatch,
          `${f.kind} key ${JSON.stringify(f.key)} differs from its file name ${JSON.stringify(`${f.stem}.yaml`)}; rename the file or the key so they match`,
          { span: f.keySpan, suggestion: `did you mean "${f.stem}"?` },
        ),
      );
  },
};
