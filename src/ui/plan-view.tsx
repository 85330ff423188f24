import { Box, Text, render } from "ink";
import type { Change, Plan } from "../plan/model.js";
import { reassignmentSentence } from "../plan/render-text.js";
import { SYMBOL, VERB, showValue } from "../plan/render-value.js";

const COLOUR = { create: "green", update: "yellow", delete: "red", replace: "magenta" } as const;

function ChangeView({ c }: { c: Change }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        {"  "}
        <Text color={COLOUR[c.action]} bold>
          {SYMBOL[c.action]} {c.address}
        </Text>{" "}
        {VERB[c.action]}
      </Text>
      {c.fieldDiffs.map((d, i) => {
        const path = d.path || "value";
        const added = d.before === undefined || c.action === "create";
        const removed = d.after === undefined || c.action === "delete";
        const sym = added ? "+" : removed ? "-" : "~";
        const colour = added ? "green" : removed ? "red" : "yellow";
        const value = added ? showValue(d.after) : removed ? showValue(d.before) : `${showValue(d.before, 40)} → ${showValue(d.after, 40)}`;
        return (
          <Text key={i}>
            {"      "}
            <Text color={colour}>{sym}</Text> {path}: {value}
          </Text>
        );
      })}
      {c.reassignment ? (
        <Box flexDirection="column">
          <Text>
            {"      "}
            <Text color="yellow">⚠ reassignment:</Text> {reassignmentSentence(c.reassignment)}
          </Text>
          {c.reassignment.causes.map((x, i) => (
            <Text key={i} dimColor>
              {"        · "}
              {x}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

/** The plan's changes and check summary as ink components (diagnostics are printed after, as text). */
export function PlanView({ plan }: { plan: Plan }) {
  const base =
    plan.basedOnVersion === null
      ? "nothing is published yet"
      : `published v${plan.basedOnVersion} (${(plan.basedOnChecksum ?? "").slice(0, 12)})`;
  return (
    <Box flexDirection="column">
      <Box marginBottom={1}>
        <Text bold>exp plan: the workspace compared with {base}</Text>
      </Box>
      {plan.drift ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text color="yellow">
            ! drift: published v{plan.drift.version} was not produced by applying git ({plan.drift.cause}).
          </Text>
          <Text>{`  ${plan.drift.reconcile}`}</Text>
        </Box>
      ) : null}
      {plan.changes.length === 0 ? <Text>No changes. The published ruleset matches the workspace.</Text> : null}
      {plan.changes.map((c) => (
        <ChangeView key={c.address} c={c} />
      ))}
      {plan.checks.length ? <Text bold>Checks:</Text> : null}
      {plan.checks.map((c) => (
        <Text key={c.name}>
          {"  "}
          {c.status === "passed" ? (
            <Text color="green">✔</Text>
          ) : c.status === "failed" ? (
            <Text color="red">✖</Text>
          ) : (
            <Text color="yellow">!</Text>
          )}{" "}
          {c.name}
          {c.diagnostics.length ? <Text dimColor> ({c.diagnostics.length})</Text> : null}
        </Text>
      ))}
    </Box>
  );
}

/** Renders the plan once to the terminal and returns when ink has written it. */
export async function printPlanWithInk(plan: Plan): Promise<void> {
  const app = render(<PlanView plan={plan} />, { patchConsole: false, exitOnCtrlC: false });
  app.unmount();
  await app.waitUntilExit();
}
