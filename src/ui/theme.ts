/**
 * Semantic style tokens (STYLE habit 11): business code says what a piece of text is, never which colour.
 * Colour only on a TTY without NO_COLOR; FORCE_COLOR forces it.
 */
export type Token = "create" | "update" | "delete" | "replace" | "error" | "warning" | "info" | "ok" | "muted" | "strong" | "code";

const ANSI: Record<Token, [number, number]> = {
  create: [32, 39],
  update: [33, 39],
  delete: [31, 39],
  replace: [35, 39],
  error: [31, 39],
  warning: [33, 39],
  info: [36, 39],
  ok: [32, 39],
  muted: [2, 22],
  strong: [1, 22],
  code: [36, 39],
};

export function colourEnabled(stream: { isTTY?: boolean } = process.stdout): boolean {
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  if (process.env.NO_COLOR !== undefined) return false;
  return Boolean(stream.isTTY);
}

export type Styler = (token: Token, text: string) => string;

export const plain: Styler = (_t, text) => text;
export const ansi: Styler = (t, text) => `\u001b[${ANSI[t][0]}m${text}\u001b[${ANSI[t][1]}m`;

export function styler(enabled: boolean): Styler {
  return enabled ? ansi : plain;
}
