import type { CheckAnnotation } from "./annotations.js";
import { batches } from "./annotations.js";
import type { GitHubClient } from "./github-client.js";
import { apiStep } from "./github-client.js";
import type { Conclusion } from "./plan-input.js";

export const CHECK_NAME = "exp plan";

/** GitHub rejects check-run summaries longer than this. */
const SUMMARY_LIMIT = 65535;

export interface CheckRunRequest {
  owner: string;
  repo: string;
  headSha: string;
  name?: string;
  title: string;
  summary: string;
  conclusion: Conclusion;
  annotations: readonly CheckAnnotation[];
}

export interface CheckRunResult {
  id: number;
  url?: string;
  /** Create plus update requests sent. */
  requests: number;
}

export function clampSummary(summary: string): string {
  if (summary.length <= SUMMARY_LIMIT) return summary;
  const note = "\n\n… (truncated; the full plan is in the job log)";
  return summary.slice(0, SUMMARY_LIMIT - note.length) + note;
}

/**
 * Posts a completed check run. The API takes 50 annotations a request and appends those of each
 * update, so the run is created with the first batch and updated with the rest; it is only marked
 * completed with the last request, so no one sees a concluded check with half its annotations.
 */
export async function publishCheckRun(client: GitHubClient, req: CheckRunRequest): Promise<CheckRunResult> {
  const { owner, repo } = req;
  const name = req.name ?? CHECK_NAME;
  const summary = clampSummary(req.summary);
  const parts = batches(req.annotations);
  if (parts.length === 0) parts.push([]);
  const output = (i: number) => ({ title: req.title, summary, annotations: [...parts[i]!] });
  const done = (i: number) =>
    i === parts.length - 1 ? { status: "completed" as const, conclusion: req.conclusion } : { status: "in_progress" as const };

  const created = await apiStep(`creating the "${name}" check run for ${req.headSha.slice(0, 12)}`, () =>
    client.rest.checks.create({ owner, repo, name, head_sha: req.headSha, output: output(0), ...done(0) }),
  );
  const id = created.data.id;
  for (let i = 1; i < parts.length; i++) {
    await apiStep(`adding annotations ${i * 50 + 1}–${i * 50 + parts[i]!.length} to the "${name}" check run`, () =>
      client.rest.checks.update({ owner, repo, check_run_id: id, output: output(i), ...done(i) }),
    );
  }
  return { id, url: created.data.html_url ?? undefined, requests: parts.length };
}
