import type { CodeInfo } from "../diagnostics/codes.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { canonicalJson } from "../ruleset/canonical-json.js";
import { CONTRACT_CODES } from "../ruleset/codes.js";
import { checkReferences } from "../ruleset/references.js";
import type { Ruleset } from "../ruleset/types.js";
import type { Attributes } from "./condition.js";
import type { UnitRef } from "./unit-ids.js";
import { createEvaluator } from "./evaluator.js";
import { startRulesetPoller } from "./ruleset-poller.js";
import type { AssignmentResult, EvaluateAllResult, FlagResult } from "./result.js";

/**
 * The browser's client (docs/runtime.md#in-the-browser): keeps the ruleset of `GET /v1/ruleset`
 * through the same poller as the Node SDK (ruleset-poller.ts). Nothing from Node: the checksum is computed with WebCrypto, and in place of the JSON
 * Schema (ajv is too heavy to ship to a page) the shape a ruleset must have to evaluate is checked,
 * then the checksum, then the references.
 */
export interface BrowserClientOptions {
  /** The exp server (…/v1/ruleset is appended unless present). */
  url: string;
  /** Default 30 s; 0 turns polling off (refresh() still fetches). */
  pollIntervalMs?: number;
  headers?: Record<string, string>;
  /** Clock for evaluation, ms since the epoch. */
  now?: () => number;
  onError?: (diagnostics: Diagnostic[]) => void;
  onUpdate?: (ruleset: Ruleset) => void;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
}

export interface BrowserClient {
  assign(experiment: string, unit: UnitRef, attributes?: Attributes): AssignmentResult;
  evaluate(flag: string, unit: UnitRef, attributes?: Attributes): FlagResult;
  evaluateAll(unit: UnitRef, attributes?: Attributes): EvaluateAllResult;
  readonly ruleset: Ruleset;
  readonly lastError: Diagnostic[] | undefined;
  refresh(): Promise<boolean>;
  close(): void;
}

/** A ruleset that could not be had or did not verify; carries the diagnostics. */
export class RulesetRejected extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
    this.name = "RulesetRejected";
  }
}

const fail = (code: CodeInfo, message: string) => new RulesetRejected([diagnostic(code, message)]);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Parses and verifies a ruleset's text: its shape, its checksum (WebCrypto), its references. */
export async function verifyRulesetInBrowser(text: string): Promise<Ruleset> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw fail(CONTRACT_CODES.notJson, `The ruleset is not valid JSON (${(err as Error).message}); republish it with "exp apply".`);
  }
  const shapeOk =
    isObject(json) &&
    json.schemaVersion === 1 &&
    json.hashVersion === 1 &&
    typeof json.checksum === "string" &&
    ["attributes", "segments", "holdouts", "layers", "experiments", "flags"].every((k) => isObject(json[k]));
  if (!shapeOk)
    throw fail(
      CONTRACT_CODES.schemaInvalid,
      `The document is not an exp ruleset of schema and hash version 1; recompile it with "exp export --to ruleset".`,
    );
  const r = json as unknown as Ruleset;
  const { checksum, createdAt: _t, ...rest } = r;
  const expected = await sha256Hex(canonicalJson(rest));
  if (expected !== checksum)
    throw fail(
      CONTRACT_CODES.checksumMismatch,
      `Ruleset version ${r.version} has checksum "${checksum}" but its content hashes to "${expected}"; it was altered after compilation.`,
    );
  const references = checkReferences(r);
  if (references.length > 0) throw new RulesetRejected(references);
  return r;
}

/** Resolves once the first ruleset is fetched and verified; rejects with RulesetRejected otherwise. */
export async function createBrowserClient(options: BrowserClientOptions): Promise<BrowserClient> {
  const now = options.now ?? Date.now;
  const poller = await startRulesetPoller({
    ...options,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    load: async (text) => createEvaluator(await verifyRulesetInBrowser(text)),
    rejected: (diagnostics) => new RulesetRejected(diagnostics),
  });

  return {
    assign: (experiment, unit, attributes) => poller.evaluator.assign(experiment, unit, attributes, now()),
    evaluate: (flag, unit, attributes) => poller.evaluator.evaluate(flag, unit, attributes, now()),
    evaluateAll: (unit, attributes) => poller.evaluator.evaluateAll(unit, attributes, now()),
    get ruleset() {
      return poller.evaluator.ruleset;
    },
    get lastError() {
      return poller.lastError;
    },
    refresh: poller.refresh,
    close: poller.close,
  };
}
