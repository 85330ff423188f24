import type {
  EvaluationContext,
  EvaluationDetails,
  FlagValue,
  Hook,
  HookContext,
  JsonValue,
  Provider,
  ResolutionDetails,
  ErrorCode,
  ResolutionReason,
  TrackingEventDetails,
} from "@openfeature/server-sdk";
import { createClient, RulesetLoadError, type Client, type ClientOptions } from "./client.js";
import type { FlagReason, FlagResult } from "./result.js";

/**
 * An OpenFeature server provider backed by the exp SDK. Only types come from @openfeature/server-sdk,
 * so the package does not depend on it at run time; errors are returned as `errorCode` details,
 * which the OpenFeature SDK turns into its error results. Resolution logs nothing: the provider's
 * `after` hook logs the exposure of a flag an on_assignment experiment served, so an evaluation
 * that failed is never an exposure. `track` sends OpenFeature tracking events through the client's tracker.
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
  /** Logs, after a successful evaluation, the exposure of a flag served from an experiment. */
  readonly hooks: Hook[] = [
    {
      after: (hook: Readonly<HookContext>, details: EvaluationDetails<FlagValue>) => {
        const m = details.flagMetadata;
        if (!this.client || m.expReason !== "experiment" || typeof m.rule !== "string") return;
        const { targetingKey, ...attributes } = hook.context;
        if (targetingKey === undefined) return;
        const result: FlagResult = {
          flag: details.flagKey,
          value: details.value,
          variant: details.variant ?? null,
          reason: "experiment",
          rule: m.rule,
        };
        this.client.logFlagExposure(result, targetingKey, attributes);
      },
    },
  ];

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
    await this.client?.close();
  }

  /** OpenFeature's tracking API: the event goes to the client's tracker, for the unit in `targetingKey`. */
  track(trackingEventName: string, context: EvaluationContext, details: TrackingEventDetails): void {
    if (!this.client) throw new Error("The exp ruleset is not loaded yet; track after the provider is ready.");
    if (typeof context.targetingKey !== "string" || context.targetingKey === "")
      throw new Error(`Tracking event "${trackingEventName}" needs a targetingKey (the unit id) in the evaluation context.`);
    const { value, ...properties } = details;
    this.client.track({
      userId: context.targetingKey,
      eventName: trackingEventName,
      value,
      // Dates become ISO strings, as they would on the wire.
      properties: Object.keys(properties).length > 0 ? (JSON.parse(JSON.stringify(properties)) as Record<string, unknown>) : undefined,
    });
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
    const r: FlagResult = client.evaluate(flagKey, targetingKey ?? "", attributes, { logExposure: false });
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
