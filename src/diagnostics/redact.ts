/**
 * Credentials a URL carries, masked wherever a URL can reach a message: messages are printed, logged,
 * and posted to pull requests by `plan-on-pr`. The user and password of a URL
 * (`https://user:pass@host` → `https://***@host`) and the value of a query parameter whose name says
 * it is a secret (`?token=…`, `&api_key=…`, `&X-Amz-Signature=…` → `=***`) are replaced.
 */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, "$1***@").replace(SECRET_PARAMETER, "$1***");
}

// Scheme, then everything up to the last "@" before the path, query or fragment (a password may hold an "@").
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'`<>]+@/gi;
const SECRET_NAME =
  "(?:[a-z0-9]+[_.-])*(?:token|key|apikey|secret|password|passwd|pwd|pass|auth|authorization|signature|sig|credentials?|session|code)";
const SECRET_PARAMETER = new RegExp(`([?&;]${SECRET_NAME}=)[^&#\\s"'\`<>]+`, "gi");
