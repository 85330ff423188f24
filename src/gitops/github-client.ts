import { Octokit } from "@octokit/rest";
import { VERSION } from "../version.js";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";
import type { GitHubContext } from "./github-context.js";

export type GitHubClient = Octokit;

const quiet = () => {};

/** An Octokit bound to the job's API URL and token. Its request log is silenced: failures surface as GitOpsError. */
export function createGitHubClient(ctx: Pick<GitHubContext, "token" | "apiUrl">): GitHubClient {
  return new Octokit({
    auth: ctx.token,
    baseUrl: ctx.apiUrl,
    userAgent: `exp/${VERSION}`,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

/** Runs one API step; a refusal becomes one sentence naming the status, the step and GitHub's own message. */
export async function apiStep<T>(doing: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw new GitOpsError(gitopsCodes.apiFailed, describeApiFailure(err, doing), hintFor(statusOf(err)));
  }
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown })?.status;
  return typeof s === "number" ? s : undefined;
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
  if (status === undefined) {
    // Not an HTTP answer: the connection itself failed (refused, DNS, TLS).
    return `GitHub API request failed while ${doing}: ${(err as Error)?.message ?? String(err)}`;
  }
  return `GitHub API returned ${status} while ${doing}${apiMessage ? `: ${apiMessage}` : ""}`;
}

function hintFor(status: number | undefined): string | undefined {
  if (status === 401) return "check that GITHUB_TOKEN is valid";
  if (status === 403) return 'the token lacks a permission: grant "pull-requests: write" and "checks: write" in the workflow';
  if (status === 404) return "check GITHUB_REPOSITORY and the pull request number";
  if (status !== undefined && status >= 500) return "GitHub had a server error; re-run the job";
  return undefined;
}
