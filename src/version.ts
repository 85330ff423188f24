/** The engine version, stamped into rulesets, analyses and reports. Keep in step with package.json. */
export const VERSION = "0.1.0";
