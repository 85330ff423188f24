import { exportFlagd } from "../compiler/ruleset/flagd.js";
import { diagnostic, hasErrors, type Result } from "../diagnostics/diagnostic.js";
import type { Workspace } from "../workspace/model.js";
import { APP_CODES } from "./codes.js";
import { rulesetFor } from "./ruleset-source.js";

export const EXPORT_TARGETS = ["flagd", "ruleset"] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/**
 * The document `exp export` writes: the ruleset itself, or a flagd flag-definition file that
 * evaluates identically. No value when the ruleset does not compile or flagd cannot express it.
 */
export async function exportRuleset(
  ws: Workspace,
  o: { to: ExportTarget; desired: boolean },
): Promise<Result<{ text: string }> & { notes: string[] }> {
  const { ruleset, diagnostics, notes } = await rulesetFor(ws, o.desired);
  if (hasErrors(diagnostics)) return { diagnostics, notes };
  if (o.to === "ruleset") return { value: { text: json(ruleset) }, diagnostics, notes };
  const exported = exportFlagd(ruleset);
  const all = [...diagnostics, ...exported.diagnostics];
  if (hasErrors(exported.diagnostics))
    return {
      diagnostics: [
        ...all,
        diagnostic(APP_CODES.flagdMismatch, "the flagd export would not evaluate like the exp runtime; nothing was written"),
      ],
      notes,
    };
  return { value: { text: json(exported.document) }, diagnostics: all, notes };
}

function json(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
