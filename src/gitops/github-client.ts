import { Octokit } from "@octokit/rest";
import { VERSION } from "../version.js";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";
import { DEFAULT_GITHUB_TIMEOUT_MS, type GitHubContext } from "./github-context.js";

export type GitHubClient = Octokit;

const quiet = () => {};

/**
 * An Octokit bound to the job's API URL and token. Every request gets its own deadline, so an API
 * that accepts the connection and never answers fails the step instead of holding the job. Its
 * request log is silenced: failures surface as GitOpsError.
 */
export function createGitHubClient(ctx: Pick<GitHubContext, "token" | "apiUrl"> & { timeoutMs?: number }): GitHubClient {
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_GITHUB_TIMEOUT_MS;
  const timed: typeof fetch = (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
  return new Octokit({
    auth: ctx.token,
    baseUrl: ctx.apiUrl,
    userAgent: `exp/${VERSION}`,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    request: { fetch: timed, timeoutMs },
  });
}

/** Runs one API step; a refusal becomes one sentence naming the status, the step and GitHub's own message. */
export async function apiStep<T>(doing: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const unreachable = connectionFailure(err);
    if (unreachable)
      throw new GitOpsError(
        gitopsCodes.apiUnreachable,
        `could not reach the GitHub API at ${unreachable.url} while ${doing}: ${unreachable.reason}`,
        unreachable.hint,
      );
    throw new GitOpsError(gitopsCodes.apiFailed, describeApiFailure(err, doing), hintFor(statusOf(err)));
  }
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === "number" ? s : undefined;
}

/**
 * Octokit reports a request that got no HTTP answer (refused, DNS, TLS, our deadline) as status 500
 * without a response; saying "GitHub returned 500" would send the user looking for an outage.
 */
function connectionFailure(err: unknown): { url: string; reason: string; hint: string } | undefined {
  const e = err as { response?: unknown; cause?: unknown; request?: { url?: unknown; request?: { timeoutMs?: unknown } }; name?: string };
  if (e?.response !== undefined) return undefined;
  const chain: { name?: string; code?: string; message?: string }[] = [];
  for (let c: unknown = err; c && typeof c === "object" && chain.length < 5; c = (c as { cause?: unknown }).cause)
    chain.push(c as { name?: string; code?: string; message?: string });
  if (chain.length < 2 && e?.name !== "TimeoutError" && e?.name !== "AbortError") return undefined;
  const url = redact(typeof e.request?.url === "string" ? e.request.url : "");
  const timeoutMs = e.request?.request?.timeoutMs;
  const code = chain.map((c) => c.code).find((c) => typeof c === "string");
  const timedOut = chain.some((c) => c.name === "TimeoutError" || c.name === "AbortError") || code === "UND_ERR_CONNECT_TIMEOUT";
  const base = "check GITHUB_API_URL and the runner's network access, and re-run the job";
  if (timedOut)
    return {
      url,
      reason: `no answer within ${typeof timeoutMs === "number" ? `${timeoutMs} ms` : "the time limit"}`,
      hint: `${base}; EXP_GITHUB_TIMEOUT_MS raises the limit`,
    };
  const known: Record<string, string> = {
    ECONNREFUSED: "connection refused (ECONNREFUSED)",
    ENOTFOUND: "the host name did not resolve (DNS, ENOTFOUND)",
    EAI_AGAIN: "the host name could not be resolved right now (DNS, EAI_AGAIN)",
    ECONNRESET: "the connection was reset (ECONNRESET)",
    EHOSTUNREACH: "the host is unreachable (EHOSTUNREACH)",
    ENETUNREACH: "the network is unreachable (ENETUNREACH)",
    ETIMEDOUT: "the connection timed out (ETIMEDOUT)",
    UND_ERR_SOCKET: "the connection closed before an answer (UND_ERR_SOCKET)",
  };
  const detail = chain.at(-1)?.message ?? "the request failed";
  return { url, reason: code ? (known[code] ?? `${code}: ${detail}`) : detail, hint: base };
}

/** The request URL without credentials or query, for messages. */
function redact(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = "";
    u.password = "";
    u.search = "";
    return u.toString();
  } catch {
    return raw || "(unknown URL)";
  }
}

export function describeApiFailure(err: unknown, doing: string): string {
  const status = statusOf(err);
  const body = (err as { response?: { data?: unknown } })?.response?.data;
  let apiMessage: string | undefined;
  if (body && typeof body === "object" && typeof (body as { message?: unknown }).message === "string") {
    apiMessage = (body as { message: string }).message;
  } else if (typeof body === "string" && body.trim() !== "") {
    apiMessage = body.trim().slice(0, 200);
  }
  if (status === undefined) return `GitHub API request failed while ${doing}: ${(err as Error)?.message ?? String(err)}`;
  return `GitHub API returned ${status} while ${doing}${apiMessage ? `: ${apiMessage}` : ""}`;
}

function hintFor(status: number | undefined): string | undefined {
  if (status === 401) return "check that GITHUB_TOKEN is valid";
  if (status === 403) return 'the token lacks a permission: grant "pull-requests: write" and "checks: write" in the workflow';
  if (status === 404) return "check GITHUB_REPOSITORY and the pull request number";
  if (status !== undefined && status >= 500) return "GitHub had a server error; re-run the job";
  return undefined;
}
