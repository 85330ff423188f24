/**
 * Whether JSON text nests arrays and objects deeper than `max`, found by one pass over the text
 * before it is parsed: a deep body is refused at once, before anything that walks it recursively
 * (the schema validator, the checksum, the evaluator's compiler) can spend time or stack on it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  // Nesting deeper than `max` takes more than `max` opening brackets: most bodies have a few, and
  // counting them with indexOf is far cheaper than the walk below, which was a visible share of a
  // small request's time.
  if (atMostOpeners(text, max)) return false;
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

/** Whether `text` holds at most `max` of `{` and `[` together, inside strings or not. */
function atMostOpeners(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf("{"); i >= 0; i = text.indexOf("{", i + 1)) if (++n > max) return false;
  for (let i = text.indexOf("["); i >= 0; i = text.indexOf("[", i + 1)) if (++n > max) return false;
  return true;
}
