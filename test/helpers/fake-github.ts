import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A request as the fake saw it, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
  html_url: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; annotations: Record<string, unknown>[] };
  /** Annotations received per request, to check GitHub's 50-per-request limit. */
  annotationBatches: number[];
}

export interface FakeFailure {
  status: number;
  message: string;
  /** Only requests whose "METHOD path" matches; all requests when absent. */
  match?: RegExp;
}

/**
 * A local stand-in for the parts of the GitHub REST API that `exp github` uses. It checks what the
 * real API would refuse (auth header, accept, user-agent, JSON bodies, the 50-annotation limit) and
 * answers 400/401/404 like GitHub, so a client bug fails the test instead of passing silently.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Comments by issue number. */
  readonly comments = new Map<number, FakeComment[]>();
  readonly checkRuns: FakeCheckRun[] = [];
  /** Protocol problems the fake noticed (besides answering with an error status). */
  readonly violations: string[] = [];
  failure?: FakeFailure;
  private nextId = 1000;
  private server?: Server;
  url = "";

  constructor(
    readonly owner = "acme",
    readonly repo = "shop",
    readonly token = "test-token",
    readonly perPageDefault = 30,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((ok) => this.server!.listen(0, "127.0.0.1", ok));
    const port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }

  /** Seeds comments written by someone else (or by an earlier run). */
  addComment(issue: number, body: string, login = "someone"): FakeComment {
    const c: FakeComment = {
      id: this.nextId++,
      body,
      user: { login },
      html_url: `https://github.test/${this.owner}/${this.repo}/pull/${issue}#c`,
    };
    c.html_url += c.id;
    const list = this.comments.get(issue) ?? [];
    list.push(c);
    this.comments.set(issue, list);
    return c;
  }

  failWith(status: number, message: string, match?: RegExp): void {
    this.failure = { status, message, match };
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const u = new URL(req.url ?? "/", this.url);
    let body: unknown = undefined;
    if (raw !== "") {
      try {
        body = JSON.parse(raw);
      } catch {
        this.violations.push(`${req.method} ${u.pathname}: body is not JSON`);
        return this.send(res, 400, { message: "Problems parsing JSON" });
      }
    }
    const method = req.method ?? "GET";
    this.requests.push({ method, path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, body });

    const auth = req.headers.authorization ?? "";
    if (auth !== `token ${this.token}` && auth !== `bearer ${this.token}` && auth !== `Bearer ${this.token}`) {
      return this.send(res, 401, { message: "Bad credentials" });
    }
    if (!String(req.headers["user-agent"] ?? "").trim()) {
      this.violations.push(`${method} ${u.pathname}: no user-agent`);
      return this.send(res, 403, {
        message: "Request forbidden by administrative rules. Please make sure your request has a User-Agent header",
      });
    }
    if (
      !String(req.headers.accept ?? "").includes("application/vnd.github") &&
      !String(req.headers.accept ?? "").includes("application/json")
    ) {
      this.violations.push(`${method} ${u.pathname}: accept header ${req.headers.accept}`);
    }
    if (raw !== "" && !String(req.headers["content-type"] ?? "").includes("application/json")) {
      this.violations.push(`${method} ${u.pathname}: content-type ${req.headers["content-type"]}`);
    }
    const f = this.failure;
    if (f && (!f.match || f.match.test(`${method} ${u.pathname}`))) {
      return this.send(res, f.status, { message: f.message, documentation_url: "https://docs.github.com/rest" });
    }

    const base = `/repos/${this.owner}/${this.repo}`;
    let m: RegExpExecArray | null;
    if ((m = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(u.pathname))) {
      const issue = Number(m[1]);
      if (method === "GET") return this.listComments(res, u, issue);
      if (method === "POST") {
        const text = (body as { body?: unknown })?.body;
        if (typeof text !== "string") return this.send(res, 422, { message: "Invalid request: body is required" });
        return this.send(res, 201, this.addComment(issue, text, "github-actions[bot]"));
      }
    }
    if ((m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(u.pathname)) && method === "PATCH") {
      const id = Number(m[1]);
      const c = [...this.comments.values()].flat().find((x) => x.id === id);
      if (!c) return this.send(res, 404, { message: "Not Found" });
      const text = (body as { body?: unknown })?.body;
      if (typeof text !== "string") return this.send(res, 422, { message: "Invalid request: body is required" });
      c.body = text;
      return this.send(res, 200, c);
    }
    if (u.pathname === `${base}/check-runs` && method === "POST") return this.createCheckRun(res, body);
    if ((m = new RegExp(`^${base}/check-runs/(\\d+)$`).exec(u.pathname)) && method === "PATCH") {
      return this.updateCheckRun(res, Number(m[1]), body);
    }
    this.violations.push(`unexpected ${method} ${u.pathname}`);
    return this.send(res, 404, { message: "Not Found" });
  }

  private listComments(res: ServerResponse, u: URL, issue: number): void {
    const all = this.comments.get(issue) ?? [];
    const perPage = Math.min(100, Number(u.searchParams.get("per_page") ?? this.perPageDefault));
    const page = Number(u.searchParams.get("page") ?? 1);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(u.toString());
      next.searchParams.set("page", String(page + 1));
      const lastUrl = new URL(u.toString());
      lastUrl.searchParams.set("page", String(last));
      headers.link = `<${next}>; rel="next", <${lastUrl}>; rel="last"`;
    }
    this.send(res, 200, slice, headers);
  }

  private checkOutput(output: unknown, run: FakeCheckRun | undefined): string | undefined {
    if (output === undefined) return undefined;
    const o = output as { title?: unknown; summary?: unknown; annotations?: unknown };
    if (typeof o.title !== "string" || typeof o.summary !== "string") return "output.title and output.summary are required";
    if (o.summary.length > 65535) return "output.summary is too long (maximum is 65535 characters)";
    const anns = (o.annotations ?? []) as Record<string, unknown>[];
    if (!Array.isArray(anns)) return "output.annotations must be an array";
    if (anns.length > 50) return "Only 50 annotations can be sent per request";
    for (const a of anns) {
      for (const k of ["path", "start_line", "end_line", "annotation_level", "message"]) {
        if (a[k] === undefined) return `annotation is missing ${k}`;
      }
      if (!["notice", "warning", "failure"].includes(String(a.annotation_level))) return "annotation_level is invalid";
      if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line) {
        return "start_column and end_column may only be used when start_line equals end_line";
      }
    }
    if (run) {
      run.output.title = o.title;
      run.output.summary = o.summary;
      run.output.annotations.push(...anns);
      run.annotationBatches.push(anns.length);
    }
    return undefined;
  }

  private applyStatus(run: FakeCheckRun, b: { status?: unknown; conclusion?: unknown }): string | undefined {
    if (b.conclusion !== undefined) {
      if (!["success", "failure", "neutral", "cancelled", "skipped", "timed_out", "action_required"].includes(String(b.conclusion))) {
        return "conclusion is invalid";
      }
      run.conclusion = String(b.conclusion);
      run.status = "completed";
    }
    if (b.status !== undefined) {
      if (b.status === "completed" && b.conclusion === undefined && run.conclusion === null)
        return "conclusion is required when status is completed";
      run.status = String(b.status);
    }
    return undefined;
  }

  private createCheckRun(res: ServerResponse, body: unknown): void {
    const b = (body ?? {}) as { name?: unknown; head_sha?: unknown; status?: unknown; conclusion?: unknown; output?: unknown };
    if (typeof b.name !== "string" || typeof b.head_sha !== "string" || !/^[0-9a-f]{40}$/.test(b.head_sha)) {
      return this.send(res, 422, { message: "Invalid request: name and a 40-hex head_sha are required" });
    }
    const run: FakeCheckRun = {
      id: this.nextId++,
      name: b.name,
      head_sha: b.head_sha,
      status: "queued",
      conclusion: null,
      output: { annotations: [] },
      annotationBatches: [],
    };
    const problem = this.checkOutput(b.output, run) ?? this.applyStatus(run, b);
    if (problem) return this.send(res, 422, { message: `Invalid request: ${problem}` });
    this.checkRuns.push(run);
    this.send(res, 201, { ...run, html_url: `https://github.test/${this.owner}/${this.repo}/runs/${run.id}` });
  }

  private updateCheckRun(res: ServerResponse, id: number, body: unknown): void {
    const run = this.checkRuns.find((r) => r.id === id);
    if (!run) return this.send(res, 404, { message: "Not Found" });
    const b = (body ?? {}) as { status?: unknown; conclusion?: unknown; output?: unknown };
    const problem = this.checkOutput(b.output, run) ?? this.applyStatus(run, b);
    if (problem) return this.send(res, 422, { message: `Invalid request: ${problem}` });
    this.send(res, 200, { ...run, html_url: `https://github.test/${this.owner}/${this.repo}/runs/${run.id}` });
  }
}
