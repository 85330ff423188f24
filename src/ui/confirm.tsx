import { Box, Text, render, useApp, useInput } from "ink";
import { createInterface } from "node:readline/promises";
import { useState } from "react";
import { interactive } from "./terminal.js";

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
  const submit = (answer: string) => {
    setDone(true);
    onAnswer(answer);
    exit();
  };
  useInput(
    (input, key) => {
      if (done) return;
      if (key.return) return submit(value);
      if (key.backspace || key.delete) return setValue((v) => v.slice(0, -1));
      if (key.ctrl && input === "c") return submit("");
      if (key.ctrl || key.meta || !input) return;
      // Typed-ahead or pasted text can arrive in one chunk together with the Enter key.
      const end = input.search(/[\r\n]/);
      if (end >= 0) return submit(value + input.slice(0, end));
      setValue((v) => v + input);
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
  if (!interactive(process.stdout)) {
    // ink would not draw the prompt here (CI set): ask with a plain readline prompt instead.
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const a = await rl.question(`${summary}\n${question}\n  Enter a value: `);
    rl.close();
    return a.trim() === "yes";
  }
  let answer = "";
  const app = render(<Confirm summary={summary} question={question} onAnswer={(a) => (answer = a)} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
  return answer.trim() === "yes";
}
