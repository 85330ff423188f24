import type { AssignmentResult } from "./result.js";

/**
 * Split-URL delivery (docs/runtime.md#split-url-redirects): where to send a visitor whose assignment
 * carries a variant url. The variant url is resolved against the current page; the visitor's query
 * parameters (utm_… and the like) are kept after the variant url's own, which win when both name the
 * same parameter; the visitor's fragment is kept unless the variant url has one.
 *
 * null means "stay": not enrolled, no url, or already on the variant's page (same origin and path,
 * whatever the query), so a page that redirects on every load never loops.
 *
 * `currentUrl` may be absolute (`location.href`) or relative (a server's request path such as
 * `/landing?utm_source=ads`); a relative one is taken to be on the variant url's site, and when
 * both are relative the answer is relative too. Query parameters are compared by their decoded
 * names but copied as written, so nothing the visitor sent is re-encoded.
 */
export function redirectUrl(assignment: Pick<AssignmentResult, "inExperiment" | "url">, currentUrl: string): string | null {
  if (!assignment.inExperiment || assignment.url === null) return null;
  const here = absolute(currentUrl);
  const variant = absolute(assignment.url);
  const page = here ?? new URL(currentUrl, variant?.origin ?? LOCAL);
  const target = new URL(assignment.url, page);
  if (target.origin === page.origin && target.pathname === page.pathname) return null;

  const own = queryPairs(target.search);
  const ownNames = new Set(own.map(pairName));
  const query = [...own, ...queryPairs(page.search).filter((p) => !ownNames.has(pairName(p)))].join("&");
  const fragment = target.hash || page.hash;
  if (here !== null || variant !== null) {
    target.search = "";
    target.hash = "";
    return `${target.href}${query ? `?${query}` : ""}${fragment}`;
  }
  return `${target.pathname}${query ? `?${query}` : ""}${fragment}`;
}

/** The base a relative variant url and a relative current url are resolved against; never shown. */
const LOCAL = "http://local.invalid";

function absolute(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** "?a=1&&b" → ["a=1", "b"]: the pairs as written (already percent-encoded by URL). */
const queryPairs = (search: string): string[] => search.replace(/^\?/, "").split("&").filter(Boolean);

/** A pair's parameter name as application/x-www-form-urlencoded decodes it ("utm%5Fsource" is "utm_source"). */
const pairName = (pair: string): string => new URLSearchParams(pair).keys().next().value ?? "";
