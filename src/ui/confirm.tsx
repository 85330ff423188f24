import { Box, Text, render, useApp, useInput } from "ink";
import { useState } from "react";

export interface ConfirmProps {
  /** What will happen, e.g. the plan summary line. */
  summary: string;
  question: string;
  onAnswer(answer: string): void;
}

/** A Terraform-style confirmation: only the exact word "yes" approves. */
export function Confirm({ summary, question, onAnswer }: ConfirmProps) {
  const [value, setValue] = useState("");
  const [done, setDone] = useState(false);
  const { exit } = useApp();
  useInput(
    (input, key) => {
      if (done) return;
      if (key.return) {
        setDone(true);
        onAnswer(value);
        exit();
      } else if (key.backspace || key.delete) setValue((v) => v.slice(0, -1));
      else if (key.ctrl && input === "c") {
        setDone(true);
        onAnswer("");
        exit();
      } else if (!key.ctrl && !key.meta && input) setValue((v) => v + input);
    },
    { isActive: !done },
  );
  return (
    <Box flexDirection="column">
      <Text bold>{summary}</Text>
      <Text>{question}</Text>
      <Text>
        <Text dimColor>{"  Enter a value: "}</Text>
        {value}
        {done ? "" : "█"}
      </Text>
    </Box>
  );
}

/** Asks on the terminal and resolves with whether the user typed exactly "yes". */
export async function confirmOnTerminal(summary: string, question: string): Promise<boolean> {
  let answer = "";
  const app = render(<Confirm summary={summary} question={question} onAnswer={(a) => (answer = a)} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  return answer.trim() === "yes";
}
