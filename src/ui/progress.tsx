import { Box, Static, Text, render, type Instance } from "ink";
import { useEffect, useState } from "react";
import { interactive } from "./terminal.js";

/**
 * Progress for long work (analyses, warehouse queries): an ink spinner with elapsed time on a TTY,
 * plain lines otherwise (CI logs, pipes). Always on stderr, so stdout stays the command's output.
 */
export interface Progress {
  /** Starts a step; its spinner shows the elapsed time until done() or fail(). */
  start(label: string): void;
  done(detail?: string): void;
  fail(detail: string): void;
  close(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

interface Line {
  id: number;
  text: string;
  ok: boolean;
}

function Spinner({ label, since }: { label: string; since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, []);
  return (
    <Text>
      <Text color="cyan">{FRAMES[Math.floor(now / 100) % FRAMES.length]}</Text> {label}{" "}
      <Text dimColor>{((now - since) / 1000).toFixed(1)}s</Text>
    </Text>
  );
}

function View({ lines, current }: { lines: Line[]; current?: { label: string; since: number } }) {
  return (
    <Box flexDirection="column">
      <Static items={lines}>
        {(l) => (
          <Text key={l.id} color={l.ok ? undefined : "red"}>
            {l.text}
          </Text>
        )}
      </Static>
      {current ? <Spinner label={current.label} since={current.since} /> : null}
    </Box>
  );
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let current: { label: string; since: number } | undefined;
  const seconds = () => (current ? ` (${((Date.now() - current.since) / 1000).toFixed(1)} s)` : "");
  if (!interactive(stream)) {
    return {
      start(label) {
        current = { label, since: Date.now() };
        stream.write(`… ${label}\n`);
      },
      done(detail) {
        stream.write(`✔ ${current?.label ?? ""}${detail ? `: ${detail}` : ""}${seconds()}\n`);
        current = undefined;
      },
      fail(detail) {
        stream.write(`✘ ${current?.label ?? ""}: ${detail}${seconds()}\n`);
        current = undefined;
      },
      close() {},
    };
  }
  const lines: Line[] = [];
  let app: Instance | undefined;
  const draw = () => {
    const view = <View lines={[...lines]} current={current} />;
    if (app) app.rerender(view);
    else app = render(view, { stdout: stream, patchConsole: false, exitOnCtrlC: false });
  };
  const finish = (ok: boolean, text: string) => {
    lines.push({ id: lines.length, text, ok });
    current = undefined;
    draw();
  };
  return {
    start(label) {
      current = { label, since: Date.now() };
      draw();
    },
    done(detail) {
      finish(true, `✔ ${current?.label ?? ""}${detail ? `: ${detail}` : ""}${seconds()}`);
    },
    fail(detail) {
      finish(false, `✘ ${current?.label ?? ""}: ${detail}${seconds()}`);
    },
    close() {
      app?.unmount();
      app = undefined;
    },
  };
}
