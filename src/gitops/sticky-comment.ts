import type { GitHubClient } from "./github-client.js";
import { apiStep } from "./github-client.js";

/** The hidden line that identifies our comment among everyone else's. */
export const PLAN_MARKER = "<!-- exp:plan -->";

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface StickyCommentResult {
  action: "created" | "updated";
  id: number;
  url?: string;
}

/** The comment body: the marker first, so a later run finds it whatever the markdown holds. */
export function stickyBody(markdown: string, marker = PLAN_MARKER): string {
  return `${marker}\n${markdown.trimEnd()}\n`;
}

/**
 * Creates or updates the one comment carrying `marker` on a pull request. Every page of comments is
 * read, because on a busy PR the marker comment may be far from the first page.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  target: StickyCommentTarget,
  markdown: string,
  marker = PLAN_MARKER,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber } = target;
  const body = stickyBody(markdown, marker);
  const comments = await apiStep(`listing the comments of pull request #${issueNumber}`, () =>
    client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 }),
  );
  // Ours starts with the marker; a reviewer quoting our comment carries it further in, after "> ".
  const ours = comments.find((c) => typeof c.body === "string" && c.body.trimStart().startsWith(marker));
  if (ours) {
    const res = await apiStep(`updating the plan comment ${ours.id} on pull request #${issueNumber}`, () =>
      client.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body }),
    );
    return { action: "updated", id: res.data.id, url: res.data.html_url };
  }
  const res = await apiStep(`creating the plan comment on pull request #${issueNumber}`, () =>
    client.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body }),
  );
  return { action: "created", id: res.data.id, url: res.data.html_url };
}
