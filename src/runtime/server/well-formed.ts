/** In `u` mode a surrogate pair is one code point, so this matches only a surrogate standing alone. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whether a string holds a lone surrogate: what malformedTextAt checks of each string, without its walk. */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

/**
 * Where in a parsed JSON value a string (or an object key) is not well-formed Unicode: a lone
 * surrogate, which JSON's `\ud800` escapes let a client send. Such a string has no UTF-8 form, so
 * DuckDB reads its line as nothing at all; it must be refused before it is acknowledged.
 * Iterative, so that a deep value cannot overflow the stack. Undefined when every string is fine.
 */
export function malformedTextAt(value: unknown, path: string): string | undefined {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === "string") {
      if (LONE_SURROGATE.test(v)) return at;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${at}[${i}]`]);
    } else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return `${at} (a key)`;
        stack.push([x, `${at}.${k}`]);
      }
    }
  }
  return undefined;
}
