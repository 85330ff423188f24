import { Box, Text, render, useApp, useInput } from "ink";
import { createInterface } from "node:readline/promises";
import { useEffect, useRef, useState } from "react";
import { renderOne, type SourceLookup } from "../diagnostics/render.js";
import { painterFor } from "../diagnostics/style.js";
import type { Plan } from "../plan/model.js";
import { renderPlanTail, renderPlanText } from "../plan/render-text.js";
import { StaticPlanView } from "./plan-view.js";
import { interactive } from "./terminal.js";

export interface ConfirmProps {
  /** What will happen, e.g. the plan summary line. */
  summary: string;
  question: string;
  /** The plan the answer approves, drawn with the plan view above the question (written once, never redrawn). */
  plan?: Plan;
  /** Painted text shown after the plan: the checks' diagnostics and the summary line. */
  details?: string;
  onAnswer(answer: string): void;
}

/** A Terraform-style confirmation: only the exact word "yes" approves. */
export function Confirm({ summary, question, plan, details, onAnswer }: ConfirmProps) {
  const [value, setValue] = useState("");
  const [done, setDone] = useState(false);
  // ink re-subscribes the input handler only after React has committed a render, so a key that
  // arrives sooner reaches the previous handler: what was typed, and whether it was answered, live in
  // refs that every handler reads.
  const typed = useRef("");
  const answered = useRef(false);
  const { exit } = useApp();
  const edit = (next: string) => {
    typed.current = next;
    setValue(next);
  };
  const submit = (answer: string) => {
    answered.current = true;
    // The last frame shows the answer as given, also when it arrived in one chunk with the Enter key.
    setValue(answer);
    setDone(true);
    onAnswer(answer);
  };
  // Exit only after the answered frame is drawn: exiting in the handler unmounts before React
  // commits it, leaving the empty prompt (or the cursor) on the screen.
  useEffect(() => {
    if (done) exit();
  }, [done, exit]);
  useInput(
    (input, key) => {
      if (answered.current) return;
      if (key.return) return submit(typed.current);
      if (key.backspace || key.delete) return edit(typed.current.slice(0, -1));
      if (key.ctrl && input === "c") return submit("");
      if (key.ctrl || key.meta || !input) return;
      // Typed-ahead or pasted text can arrive in one chunk together with the Enter key.
      const end = input.search(/[\r\n]/);
      if (end >= 0) return submit(typed.current + input.slice(0, end));
      edit(typed.current + input);
    },
    { isActive: !done },
  );
  return (
    <>
      {plan ? <StaticPlanView plan={plan} details={details} /> : null}
      <Box flexDirection="column">
        <Text bold>{summary}</Text>
        <Text>{question}</Text>
        <Text>
          <Text dimColor>{"  Enter a value: "}</Text>
          {value}
          {done ? "" : "█"}
        </Text>
      </Box>
    </>
  );
}

/** What the confirmation shows above its question: the plan, and where its diagnostics point. */
export interface ConfirmedPlan {
  plan: Plan;
  source: SourceLookup;
}

/**
 * Asks on the terminal and resolves with whether the user typed exactly "yes". With a plan, the
 * screen shows exactly what would change (the plan view, its checks' diagnostics and summary) right
 * above the question.
 */
export async function confirmOnTerminal(summary: string, question: string, shown?: ConfirmedPlan): Promise<boolean> {
  const paint = painterFor(process.stdout);
  const details = shown ? renderPlanTail(shown.plan, paint, (d) => renderOne(d, shown.source, paint)) : undefined;
  if (!interactive(process.stdout)) {
    // ink would not draw the prompt here (CI set): ask with a plain readline prompt instead.
    if (shown) process.stdout.write(`${renderPlanText(shown.plan, paint, (d) => renderOne(d, shown.source, paint))}\n`);
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const a = await rl.question(`${summary}\n${question}\n  Enter a value: `);
    rl.close();
    return a.trim() === "yes";
  }
  let answer = "";
  const app = render(
    <Confirm summary={summary} question={question} plan={shown?.plan} details={details} onAnswer={(a) => (answer = a)} />,
    {
      exitOnCtrlC: false,
    },
  );
  await app.waitUntilExit();
  return answer.trim() === "yes";
}
