import { readFileSync } from "node:fs";
import { gitopsCodes } from "./codes.js";
import { GitOpsError } from "./gitops-error.js";

/** What a GitHub Actions job tells us about where to post, read from its environment. */
export interface GitHubContext {
  token: string;
  owner: string;
  repo: string;
  apiUrl: string;
  /** The pull request number, when the event is a pull request. */
  pullNumber?: number;
  /** The commit to attach a check run to: the PR head, else GITHUB_SHA. */
  headSha?: string;
}

export type Env = Record<string, string | undefined>;

function required(env: Env, name: string, why: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === "") {
    throw new GitOpsError(gitopsCodes.missingEnv, `environment variable ${name} is not set; it is needed ${why}`);
  }
  return v.trim();
}

interface PullRequestEvent {
  pull_request?: { number?: unknown; head?: { sha?: unknown } };
  issue?: { number?: unknown; pull_request?: unknown };
  number?: unknown;
}

function readEvent(path: string): PullRequestEvent {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new GitOpsError(gitopsCodes.badEvent, `cannot read the event file "${path}" named by GITHUB_EVENT_PATH`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === "object" ? (parsed as PullRequestEvent) : {};
  } catch {
    throw new GitOpsError(gitopsCodes.badEvent, `the event file "${path}" named by GITHUB_EVENT_PATH is not valid JSON`);
  }
}

/** Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_EVENT_PATH and GITHUB_SHA. */
export function readGitHubContext(env: Env): GitHubContext {
  const token = required(env, "GITHUB_TOKEN", "to authenticate with the GitHub API");
  const repository = required(env, "GITHUB_REPOSITORY", 'to know which repository to post to ("owner/repo")');
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
  if (!m) {
    throw new GitOpsError(gitopsCodes.missingEnv, `GITHUB_REPOSITORY is "${repository}"; expected "owner/repo"`);
  }
  // GitHub Actions always sets GITHUB_API_URL; outside Actions the public API is the sensible default.
  const apiUrl = (env.GITHUB_API_URL?.trim() || "https://api.github.com").replace(/\/+$/, "");
  const ctx: GitHubContext = { token, owner: m[1]!, repo: m[2]!, apiUrl };
  const eventPath = env.GITHUB_EVENT_PATH?.trim();
  if (eventPath) {
    const event = readEvent(eventPath);
    const n = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
    if (typeof n === "number" && Number.isInteger(n) && n > 0) ctx.pullNumber = n;
    const sha = event.pull_request?.head?.sha;
    if (typeof sha === "string" && sha !== "") ctx.headSha = sha;
  }
  if (!ctx.headSha && env.GITHUB_SHA?.trim()) ctx.headSha = env.GITHUB_SHA.trim();
  return ctx;
}

export function requirePullNumber(ctx: GitHubContext, env: Env): number {
  if (ctx.pullNumber !== undefined) return ctx.pullNumber;
  if (!env.GITHUB_EVENT_PATH?.trim()) required(env, "GITHUB_EVENT_PATH", "to find the pull request number");
  throw new GitOpsError(
    gitopsCodes.badEvent,
    `the event file "${env.GITHUB_EVENT_PATH}" has no pull_request.number; run "exp github comment" on pull_request events`,
  );
}

export function requireHeadSha(ctx: GitHubContext, env: Env): string {
  if (ctx.headSha !== undefined) return ctx.headSha;
  required(env, "GITHUB_SHA", "to know which commit the check run belongs to (or set GITHUB_EVENT_PATH to a pull_request event)");
  return "";
}
