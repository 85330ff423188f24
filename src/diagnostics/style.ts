/**
 * Semantic style tokens for terminal output. Code says what a piece of text is; the painter decides
 * how it looks (ANSI colour on a TTY, nothing otherwise).
 */
export type StyleToken =
  | "error"
  | "warning"
  | "info"
  | "note"
  | "help"
  | "location"
  | "gutter"
  | "emphasis"
  | "success"
  | "muted"
  // plan actions: the + ~ - ± vocabulary
  | "create"
  | "update"
  | "delete"
  | "replace";

export type Painter = (token: StyleToken, text: string) => string;

const ANSI: Record<StyleToken, [string, string]> = {
  error: ["\x1b[1;31m", "\x1b[0m"],
  warning: ["\x1b[1;33m", "\x1b[0m"],
  info: ["\x1b[1;36m", "\x1b[0m"],
  note: ["\x1b[1;34m", "\x1b[0m"],
  help: ["\x1b[1;32m", "\x1b[0m"],
  location: ["\x1b[34m", "\x1b[0m"],
  gutter: ["\x1b[34m", "\x1b[0m"],
  emphasis: ["\x1b[1m", "\x1b[0m"],
  success: ["\x1b[32m", "\x1b[0m"],
  muted: ["\x1b[2m", "\x1b[0m"],
  create: ["\x1b[32m", "\x1b[0m"],
  update: ["\x1b[33m", "\x1b[0m"],
  delete: ["\x1b[31m", "\x1b[0m"],
  replace: ["\x1b[35m", "\x1b[0m"],
};

export const plain: Painter = (_token, text) => text;
export const ansi: Painter = (token, text) => (text === "" ? text : `${ANSI[token][0]}${text}${ANSI[token][1]}`);

/** Colour only on a TTY, and never when NO_COLOR is set (https://no-color.org). */
export function painterFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Painter {
  return stream.isTTY && !env.NO_COLOR && env.TERM !== "dumb" ? ansi : plain;
}
