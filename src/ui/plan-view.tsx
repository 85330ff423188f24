import { Box, Static, Text, render } from "ink";
import type { StyleToken } from "../diagnostics/style.js";
import type { Plan } from "../plan/model.js";
import { planHeadLines, type StyledLine } from "../plan/render-text.js";
import { planView } from "../plan/view.js";

/** How each style token looks in ink: the one place the terminal UI picks colours. */
const INK: Record<StyleToken, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  error: { color: "red", bold: true },
  warning: { color: "yellow", bold: true },
  info: { color: "cyan", bold: true },
  note: { color: "blue", bold: true },
  help: { color: "green", bold: true },
  location: { color: "blue" },
  gutter: { color: "blue" },
  emphasis: { bold: true },
  success: { color: "green" },
  muted: { dimColor: true },
  create: { color: "green" },
  update: { color: "yellow" },
  delete: { color: "red" },
  replace: { color: "magenta" },
};

export function LineView({ line }: { line: StyledLine }) {
  // An empty Text takes no row; a blank line keeps one.
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text>
      {line.map((piece, i) =>
        piece.style ? (
          <Text key={i} {...INK[piece.style]}>
            {piece.text}
          </Text>
        ) : (
          piece.text
        ),
      )}
    </Text>
  );
}

/**
 * The plan's changes and check list, drawn from the same lines as the text view (planHeadLines of the
 * plan's view model), so the terminal, the pipe and the apply confirmation show the same words.
 */
export function PlanView({ plan }: { plan: Plan }) {
  return (
    <Box flexDirection="column">
      {planHeadLines(planView(plan)).map((line, i) => (
        <LineView key={i} line={line} />
      ))}
    </Box>
  );
}

/**
 * The same lines as <Static> output: written once and never redrawn, so a plan taller than the
 * terminal scrolls like text instead of making ink clear the screen to redraw it. `details` is text
 * shown after it (already painted), e.g. the checks' diagnostics.
 */
export function StaticPlanView({ plan, details }: { plan: Plan; details?: string }) {
  const after = details === undefined ? [] : details.replace(/\n$/, "").split("\n");
  const lines: StyledLine[] = [...planHeadLines(planView(plan)), ...after.map((text) => (text === "" ? [] : [{ text }]))];
  return <Static items={lines.map((line, i) => ({ line, i }))}>{({ line, i }) => <LineView key={i} line={line} />}</Static>;
}

/** Renders the plan once to the terminal and returns when ink has written it. */
export async function printPlanWithInk(plan: Plan): Promise<void> {
  const app = render(<StaticPlanView plan={plan} />, { patchConsole: false, exitOnCtrlC: false });
  app.unmount();
  await app.waitUntilExit();
}
