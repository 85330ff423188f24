import type { RulesetFlag } from "../ruleset/types.js";
import type { FlagReason, FlagResult } from "./result.js";

/**
 * The results one flag can give, interned: each (variant, reason, rule) is one frozen object, made
 * the first time it is needed and shared after that, so evaluating a flag allocates nothing.
 */
export class FlagResults {
  private readonly made = new Map<string, FlagResult>();

  constructor(
    private readonly key: string,
    private readonly flag: RulesetFlag,
  ) {}

  of(variant: string, reason: FlagReason, rule: string | null): FlagResult {
    const id = `${variant}\u0000${reason}\u0000${rule ?? ""}`;
    let r = this.made.get(id);
    if (!r) {
      r = Object.freeze({ flag: this.key, value: this.flag.variants[variant] ?? null, variant, reason, rule });
      this.made.set(id, r);
    }
    return r;
  }
}
