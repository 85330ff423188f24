import { Box, Text, useInput } from "ink";
import { useRef, useState } from "react";
import type { WarehouseKind } from "../gitops/scaffold.js";
import { WAREHOUSE_KINDS } from "../gitops/scaffold.js";

export interface InitAnswers {
  project: string;
  warehouse: WarehouseKind;
}

export interface InitPromptProps {
  defaults: InitAnswers;
  /** Returns a message when the name is not acceptable. */
  checkProject: (name: string) => string | undefined;
  onSubmit: (answers: InitAnswers) => void;
  onCancel: () => void;
}

const warehouseHelp: Record<WarehouseKind, string> = {
  duckdb: "a local file: fine on your machine, not on a CI runner",
  postgres: "reads EXP_PG_URL (a repository secret in CI)",
};

/**
 * The two questions of `exp init`: the project name (typed, Enter keeps the default) and the
 * warehouse (arrows or j/k, Enter). Esc or Ctrl+C cancels.
 */
export function InitPrompt({ defaults, checkProject, onSubmit, onCancel }: InitPromptProps) {
  const [step, setStep] = useState<"project" | "warehouse" | "done">("project");
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const [choice, setChoice] = useState(Math.max(0, WAREHOUSE_KINDS.indexOf(defaults.warehouse)));
  // Keystrokes can arrive faster than renders; refs keep the handler from reading stale state.
  const textRef = useRef("");
  const choiceRef = useRef(choice);
  const projectRef = useRef(defaults.project);
  const stepRef = useRef(step);

  const go = (s: typeof step) => {
    stepRef.current = s;
    setStep(s);
  };

  useInput((input, key) => {
    if (key.escape || (key.ctrl && input === "c")) {
      go("done");
      onCancel();
      return;
    }
    if (stepRef.current === "project") {
      if (key.return) {
        const name = textRef.current.trim() || defaults.project;
        const msg = checkProject(name);
        setProblem(msg);
        if (msg) return;
        projectRef.current = name;
        go("warehouse");
        return;
      }
      if (key.backspace || key.delete) textRef.current = textRef.current.slice(0, -1);
      else if (!key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) {
        textRef.current += input.replace(/[\r\n]/g, "");
      }
      setText(textRef.current);
      return;
    }
    if (stepRef.current === "warehouse") {
      const n = WAREHOUSE_KINDS.length;
      if (key.upArrow || input === "k") choiceRef.current = (choiceRef.current + n - 1) % n;
      else if (key.downArrow || input === "j") choiceRef.current = (choiceRef.current + 1) % n;
      else if (key.return) {
        go("done");
        onSubmit({ project: projectRef.current, warehouse: WAREHOUSE_KINDS[choiceRef.current]! });
        return;
      }
      setChoice(choiceRef.current);
    }
  });

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Project name</Text> ({defaults.project}): {step === "project" ? text : projectRef.current}
      </Text>
      {problem ? <Text color="red">{problem}</Text> : null}
      {step !== "project" ? (
        <Box flexDirection="column">
          <Text bold>Warehouse</Text>
          {WAREHOUSE_KINDS.map((k, i) => (
            <Text key={k}>
              {i === choice ? "❯ " : "  "}
              {k} <Text dimColor>{warehouseHelp[k]}</Text>
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
