import type { DiagnosticJson } from "../diagnostics/diagnostic.js";
import type { Painter, StyleToken } from "../diagnostics/style.js";
import type { Plan } from "./model.js";
import { planView, type ChangeView, type PlanView } from "./view.js";
import type { FieldView, Sign } from "./view-values.js";

export type DiagnosticPrinter = (d: DiagnosticJson) => string;

/** One line of the terminal view: text pieces, some with a style token (the painter or ink picks the colour). */
export type StyledLine = { text: string; style?: StyleToken }[];

/** The terminal view of a plan, rendered from its JSON form only (so text and JSON cannot drift). */
export function renderPlanText(plan: Plan, s: Painter, printDiagnostic: DiagnosticPrinter): string {
  return `${renderPlanHead(plan, s)}${renderPlanTail(plan, s, printDiagnostic)}`.replace(/\n{3,}/g, "\n\n");
}

/** The changes and the check list (the part a TTY shows through ink, from the same lines). */
export function renderPlanHead(plan: Plan, s: Painter): string {
  return `${planHeadLines(planView(plan))
    .map((line) => line.map((piece) => (piece.style ? s(piece.style, piece.text) : piece.text)).join(""))
    .join("\n")}\n`;
}

/** The checks' diagnostics with caret snippets, and the summary line. */
export function renderPlanTail(plan: Plan, s: Painter, printDiagnostic: DiagnosticPrinter): string {
  const view = planView(plan);
  const out: string[] = [""];
  for (const d of view.diagnostics) out.push(printDiagnostic(d).trimEnd(), "");
  out.push(s("emphasis", view.summary) + (view.failed ? s("error", ` ${view.failed}`) : ""));
  return `${out.join("\n")}\n`;
}

const SIGN_STYLE: Record<Sign, StyleToken> = { "+": "create", "-": "delete", "~": "update" };
const CHECK_MARK = { passed: ["success", "✔"], failed: ["error", "✖"], warned: ["warning", "!"] } as const;

/** The head of the view as lines: title, drift, every change with its fields and reassignment, the checks. */
export function planHeadLines(view: PlanView): StyledLine[] {
  const out: StyledLine[] = [[{ text: view.title, style: "emphasis" }], []];
  if (view.drift) out.push([{ text: view.drift.headline, style: "warning" }], [{ text: `  ${view.drift.reconcile}` }], []);
  if (view.noChanges) out.push([{ text: view.noChanges }], []);
  for (const c of view.changes) out.push(...changeLines(c), []);
  if (view.checks.length) {
    out.push([{ text: "Checks:", style: "emphasis" }]);
    for (const c of view.checks) {
      const [style, mark] = CHECK_MARK[c.status];
      out.push([
        { text: "  " },
        { text: mark, style },
        { text: ` ${c.name}` },
        ...(c.count ? [{ text: ` (${c.count})`, style: "muted" as const }] : []),
      ]);
    }
  }
  return out;
}

/** One change: its headline, then its fields and who it moves. */
export function changeLines(c: ChangeView): StyledLine[] {
  const out: StyledLine[] = [[{ text: "  " }, { text: c.headline, style: c.action }, { text: ` ${c.verb}` }]];
  for (const f of c.fields) out.push(...fieldLines(f));
  if (c.reassignment) {
    const r = c.reassignment;
    out.push([
      { text: "      " },
      r.moving ? { text: "⚠ reassignment:", style: "warning" } : { text: "reassignment:", style: "muted" },
      { text: ` ${r.sentence}` },
    ]);
    for (const cause of r.causes) out.push([{ text: "        " }, { text: `· ${cause}`, style: "muted" }]);
  }
  return out;
}

function fieldLines(f: FieldView): StyledLine[] {
  const head: StyledLine = [{ text: "      " }, { text: f.sign, style: SIGN_STYLE[f.sign] }];
  const v = f.value;
  if (v.layout === "inline") return [[...head, { text: ` ${f.label}: ${v.text}` }]];
  if (v.layout === "change") return [[...head, { text: ` ${f.label}: ${v.before} → ${v.after}` }]];
  return [
    [...head, { text: ` ${f.label}:` }],
    ...v.lines.map((l): StyledLine => [
      { text: "          " },
      l.sign === " " ? { text: " " } : { text: l.sign, style: SIGN_STYLE[l.sign] },
      { text: ` ${l.text}` },
    ]),
  ];
}
