import type { EvaluationContext, JsonValue, Provider, ResolutionDetails, ErrorCode, ResolutionReason } from "@openfeature/server-sdk";
import { createClient, RulesetLoadError, type Client, type ClientOptions } from "./client.js";
import type { FlagReason, FlagResult } from "./result.js";

/**
 * An OpenFeature server provider backed by the exp SDK. Only types come from @openfeature/server-sdk,
 * so the package does not depend on it at run time; errors are returned as `errorCode` details,
 * which the OpenFeature SDK turns into its error results.
 */

const REASONS: Record<FlagReason, ResolutionReason> = {
  flag_not_found: "ERROR",
  disabled: "DISABLED",
  override: "TARGETING_MATCH",
  prerequisite_failed: "DEFAULT",
  rule_match: "TARGETING_MATCH",
  rollout: "SPLIT",
  rollout_excluded: "SPLIT",
  holdout: "DEFAULT",
  experiment: "SPLIT",
  default: "DEFAULT",
};

type Kind = "boolean" | "string" | "number" | "object";
const FLAG_TYPE: Record<Kind, string> = { boolean: "boolean", string: "string", number: "number", object: "json" };

export class ExpProvider implements Provider {
  readonly metadata = { name: "exp" } as const;
  readonly runsOn = "server" as const;
  private client: Client | undefined;

  /** Give a ready client, or the options to create one when OpenFeature initialises the provider. */
  constructor(private readonly source: Client | ClientOptions) {
    if (isClient(source)) this.client = source;
  }

  async initialize(): Promise<void> {
    if (this.client) return;
    try {
      this.client = await createClient(this.source as ClientOptions);
    } catch (err) {
      if (err instanceof RulesetLoadError) throw new Error(err.message);
      throw err;
    }
  }

  async onClose(): Promise<void> {
    this.client?.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve("boolean", flagKey, defaultValue, context));
  }
  resolveStringEvaluation(flagKey: string, defaultValue: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve("string", flagKey, defaultValue, context));
  }
  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve("number", flagKey, defaultValue, context));
  }
  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve("object", flagKey, defaultValue, context));
  }

  private resolve<T>(kind: Kind, flagKey: string, defaultValue: T, context: EvaluationContext): ResolutionDetails<T> {
    const fail = (errorCode: `${ErrorCode}`, errorMessage: string): ResolutionDetails<T> => ({
      value: defaultValue,
      reason: "ERROR",
      errorCode: errorCode as ErrorCode,
      errorMessage,
    });
    const client = this.client;
    if (!client) return fail("PROVIDER_NOT_READY", "The exp ruleset is not loaded yet.");
    const flag = client.ruleset.flags[flagKey];
    if (!flag) return fail("FLAG_NOT_FOUND", `No flag "${flagKey}" in ruleset version ${client.ruleset.version}.`);
    if (flag.type !== FLAG_TYPE[kind]) return fail("TYPE_MISMATCH", `Flag "${flagKey}" is a ${flag.type} flag, not ${kind}.`);
    const { targetingKey, ...attributes } = context;
    if (targetingKey === undefined && (flag.rules.length > 0 || Object.keys(flag.overrides).length > 0) && flag.enabled) {
      return fail("TARGETING_KEY_MISSING", `Flag "${flagKey}" needs a targetingKey (the unit id) in the evaluation context.`);
    }
    const r: FlagResult = client.evaluate(flagKey, targetingKey ?? "", attributes);
    const isStatic = flag.enabled && flag.rules.length === 0 && flag.prerequisites.length === 0 && Object.keys(flag.overrides).length === 0;
    return {
      value: r.value as T,
      variant: r.variant ?? undefined,
      reason: isStatic ? "STATIC" : REASONS[r.reason],
      flagMetadata: { rule: r.rule ?? "", expReason: r.reason, rulesetVersion: client.ruleset.version },
    };
  }
}

function isClient(x: Client | ClientOptions): x is Client {
  return typeof (x as Client).evaluate === "function";
}
