/**
 * Verification belongs to the ruleset contract (src/ruleset/verify.ts). This re-export keeps the
 * command files that import it from here working; new code imports src/ruleset/verify.ts.
 */
export { verifyRuleset } from "../../ruleset/verify.js";
