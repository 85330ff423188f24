import { redactCredentials } from "../../diagnostics/redact.js";
import type { Ruleset } from "../../ruleset/types.js";
import type { AuditRecord } from "../audit.js";
import { DirectoryTarget } from "./directory.js";
import { PublishError } from "./errors.js";
import { stateCodes } from "./codes.js";
import type { LockHandle, LockOwner, PublishExpectation, PublishTarget, PublishedRuleset, RulesetVerifier } from "./target.js";

export interface HttpTargetOptions {
  /** Base URL of an `exp serve` instance, e.g. "https://flags.internal:8080". */
  url: string;
  /**
   * Bearer key with the `ruleset:write` scope. A function is called at the first request, so a
   * missing `env:NAME` only fails commands that talk to the server (not `exp audit`).
   */
  token?: string | (() => string);
  /**
   * Local folder (under `.exp/`) for what the server does not keep: the lock that serialises
   * publishers on this machine, and the audit log.
   */
  stateDir: string;
  verify?: RulesetVerifier;
  timeoutMs?: number;
  onStaleLockBroken?: (owner: LockOwner) => void;
}

/**
 * Publishes to the runtime server: `GET /v1/ruleset` (ETag = checksum) and `PUT /v1/ruleset`.
 * Compare-and-swap rides on `If-Match` (or `If-None-Match: *` for the first publish), so two
 * machines cannot overwrite each other even though the lock only covers this one.
 * Older versions come from `GET /v1/ruleset/versions[/N]` when the server offers them.
 */
export class HttpTarget implements PublishTarget {
  readonly description: string;
  private readonly local: DirectoryTarget;
  constructor(private readonly options: HttpTargetOptions) {
    // The description is in every message and in the plan: never with the URL's credentials.
    this.description = `http ${redactCredentials(options.url)}`;
    this.local = new DirectoryTarget(options.stateDir, { onStaleLockBroken: options.onStaleLockBroken });
  }

  async current(): Promise<PublishedRuleset | undefined> {
    const res = await this.request("GET", "/v1/ruleset");
    if (res.status === 404) return undefined;
    await this.expectOk(res, "read the current ruleset");
    const ruleset = await this.readRuleset(res, "the current ruleset");
    const etag = parseEtag(res.headers.get("etag"));
    if (etag !== undefined && etag !== ruleset.checksum && etag !== String(ruleset.version))
      throw new PublishError(
        stateCodes.rulesetRejected,
        `${this.description} sent ETag "${etag}" that matches neither the checksum nor the version of the ruleset it served`,
      );
    return { version: ruleset.version, checksum: ruleset.checksum, ruleset };
  }

  async get(version: number): Promise<PublishedRuleset | undefined> {
    const res = await this.request("GET", `/v1/ruleset/versions/${version}`);
    if (res.status === 404) {
      const cur = await this.current();
      return cur?.version === version ? cur : undefined;
    }
    await this.expectOk(res, `read ruleset version ${version}`);
    const ruleset = await this.readRuleset(res, `ruleset version ${version}`);
    return { version: ruleset.version, checksum: ruleset.checksum, ruleset };
  }

  async versions(): Promise<number[]> {
    const res = await this.request("GET", "/v1/ruleset/versions");
    if (res.status === 404) {
      const cur = await this.current();
      return cur ? [cur.version] : [];
    }
    await this.expectOk(res, "list ruleset versions");
    const body = (await res.json().catch(() => undefined)) as { versions?: unknown } | undefined;
    const list = Array.isArray(body?.versions) ? body.versions.filter((v): v is number => Number.isInteger(v)) : [];
    return list.sort((a, b) => a - b);
  }

  async publish(ruleset: Ruleset, expect: PublishExpectation): Promise<PublishedRuleset> {
    const verdict = this.options.verify?.(ruleset);
    if (verdict && !verdict.ok)
      throw new PublishError(stateCodes.rulesetRejected, `the ruleset to publish failed verification: ${verdict.message}`);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (expect.expectedVersion === undefined) headers["if-none-match"] = "*";
    else if (expect.expectedChecksum !== undefined) headers["if-match"] = `"${expect.expectedChecksum}"`;
    else headers["if-match"] = `"${expect.expectedVersion}"`;
    const res = await this.request("PUT", "/v1/ruleset", JSON.stringify(ruleset), headers);
    if (res.status === 412) {
      const cur = await this.current().catch(() => undefined);
      const now = cur ? `version ${cur.version} is current` : "the server holds a different ruleset";
      const was = expect.expectedVersion === undefined ? "nothing published yet" : `version ${expect.expectedVersion}`;
      throw new PublishError(
        stateCodes.publishConflict,
        `the published ruleset in ${this.description} moved: the plan expected ${was}, but ${now}`,
        "run `exp plan` again and apply the new plan",
      );
    }
    await this.expectOk(res, `publish ruleset version ${ruleset.version}`);
    return { version: ruleset.version, checksum: ruleset.checksum, ruleset };
  }

  async activate(version: number, expect: PublishExpectation): Promise<PublishedRuleset> {
    const old = await this.get(version);
    if (!old) throw new PublishError(stateCodes.unknownVersion, `version ${version} is not available from ${this.description}`);
    return this.publish(old.ruleset, expect);
  }

  lock(holder: string, options?: { timeoutMs?: number }): Promise<LockHandle> {
    return this.local.lock(holder, options);
  }
  appendAudit(record: AuditRecord): Promise<void> {
    return this.local.appendAudit(record);
  }
  auditText(): Promise<string> {
    return this.local.auditText();
  }
  audit(): Promise<AuditRecord[]> {
    return this.local.audit();
  }

  private async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Response> {
    const url = new URL(path, this.options.url.endsWith("/") ? this.options.url : `${this.options.url}/`);
    const all: Record<string, string> = { accept: "application/json", ...headers };
    const token = typeof this.options.token === "function" ? this.options.token() : this.options.token;
    if (token) all.authorization = `Bearer ${token}`;
    try {
      return await fetch(url, { method, headers: all, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new PublishError(
        stateCodes.targetUnreachable,
        `could not reach ${this.description} (${cause})`,
        "check runtime.publish.url in exp.yaml and that the server is running",
      );
    }
  }

  private async expectOk(res: Response, what: string): Promise<void> {
    if (res.ok) return;
    const detail = await errorDetail(res);
    if (res.status === 401 || res.status === 403)
      throw new PublishError(
        stateCodes.targetUnreachable,
        `${this.description} refused to ${what}: ${res.status} ${detail}`,
        "check the token in runtime.publish.token; it needs the ruleset:write scope",
      );
    if (res.status === 400)
      throw new PublishError(stateCodes.rulesetRejected, `${this.description} rejected the request to ${what}: ${detail}`);
    throw new PublishError(stateCodes.targetUnreachable, `${this.description} failed to ${what}: ${res.status} ${detail}`);
  }

  private async readRuleset(res: Response, what: string): Promise<Ruleset> {
    const ruleset = (await res.json().catch(() => undefined)) as Ruleset | undefined;
    if (!ruleset || typeof ruleset !== "object" || !Number.isInteger(ruleset.version) || typeof ruleset.checksum !== "string")
      throw new PublishError(stateCodes.rulesetRejected, `${this.description} sent ${what} that is not a ruleset`);
    const verdict = this.options.verify?.(ruleset);
    if (verdict && !verdict.ok)
      throw new PublishError(stateCodes.rulesetRejected, `${what} from ${this.description} failed verification: ${verdict.message}`);
    return ruleset;
  }
}

function parseEtag(raw: string | null): string | undefined {
  if (!raw) return undefined;
  return raw.replace(/^W\//, "").replace(/^"(.*)"$/, "$1");
}

async function errorDetail(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const msg = body.error ?? body.message;
    if (typeof msg === "string") return msg;
    if (msg && typeof msg === "object" && typeof (msg as { message?: unknown }).message === "string")
      return (msg as { message: string }).message;
  } catch {
    // Not JSON: show the start of the text.
  }
  return text.slice(0, 200) || res.statusText;
}
