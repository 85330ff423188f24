/**
 * Whether JSON text nests arrays and objects deeper than `max`, found by one pass over the text
 * before it is parsed: a deep body is refused at once, before anything that walks it recursively
 * (the schema validator, the checksum, the evaluator's compiler) can spend time or stack on it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
