/**
 * Whether ink can draw interactively on this stream: a TTY, and not a CI environment (ink only
 * renders the final frame when CI is set, so a prompt or spinner would stay invisible there).
 */
export function interactive(stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}
