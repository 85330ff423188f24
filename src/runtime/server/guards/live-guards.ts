import type { LiveGuard, LiveProviders } from "../live-view/providers.js";
import type { GuardWatcher } from "./guard-watcher.js";

/** The live view's guards (live-view/providers.ts) from the watcher's last look. */
export function liveGuards(watcher: GuardWatcher): Pick<LiveProviders, "guards"> {
  return {
    guards: () =>
      watcher.statuses().map((g): LiveGuard => {
        const c = g.change;
        const b = g.breach;
        return {
          ...("experiment" in c ? { target: "experiment", key: c.experiment } : { target: "flag", key: c.flag, rule: c.rule }),
          state: g.state,
          action: g.action,
          metrics: g.metrics,
          ...(b
            ? {
                since: b.at,
                reason: `"${b.metric}" regressed by at least ${(b.regression * 100).toFixed(1)}%, beyond its max_regression of ${(b.maxRegression * 100).toFixed(1)}%`,
              }
            : {}),
        };
      }),
  };
}
