/**
 * The ruleset types belong to the ruleset contract (src/ruleset/types.ts). This re-export keeps the
 * command files that import them from here working; new code imports src/ruleset/types.ts.
 */
export type * from "../ruleset/types.js";
