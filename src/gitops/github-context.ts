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
  /** How long one API request may take (EXP_GITHUB_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Long enough for a slow GitHub, short enough that a hung connection does not hold a CI job for hours. */
export const DEFAULT_GITHUB_TIMEOUT_MS = 30_000;

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

function timeoutFrom(env: Env): number {
  const raw = env.EXP_GITHUB_TIMEOUT_MS?.trim();
  if (raw === undefined || raw === "") return DEFAULT_GITHUB_TIMEOUT_MS;
  const ms = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(ms) || ms < 1)
    throw new GitOpsError(
      gitopsCodes.badEnv,
      `EXP_GITHUB_TIMEOUT_MS is "${raw}"; it must be a whole number of milliseconds`,
      `unset it for the default of ${DEFAULT_GITHUB_TIMEOUT_MS} ms`,
    );
  return ms;
}

/** Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_EVENT_PATH, GITHUB_SHA and EXP_GITHUB_TIMEOUT_MS. */
export function readGitHubContext(env: Env): GitHubContext {
  const token = required(env, "GITHUB_TOKEN", "to authenticate with the GitHub API");
  const repository = required(env, "GITHUB_REPOSITORY", 'to know which repository to post to ("owner/repo")');
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(repository);
  if (!m) {
    throw new GitOpsError(gitopsCodes.missingEnv, `GITHUB_REPOSITORY is "${repository}"; expected "owner/repo"`);
  }
  // GitHub Actions always sets GITHUB_API_URL; outside Actions the public API is the sensible default.
  const apiUrl = (env.GITHUB_API_URL?.trim() || "https://api.github.com").replace(/\/+$/, "");
  const ctx: GitHubContext = { token, owner: m[1]!, repo: m[2]!, apiUrl, timeoutMs: timeoutFrom(env) };
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
