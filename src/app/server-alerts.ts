import { ExpError } from "../diagnostics/errors.js";
import type { AlertSinkOptions } from "../runtime/server/alerts/alerts.js";
import type { AlertCheckOptions } from "../runtime/server/alerts/checks.js";
import type { Workspace } from "../workspace/model.js";
import { resolveSecret } from "../workspace/secret.js";

/**
 * exp.yaml `alerts:` as the server applies it (docs/alerts.md): the webhooks with their URLs read
 * from the environment where they say `env:NAME`, the anomaly rule, and the workspace's
 * `srm_threshold`. A variable that is not set stops the command: a server that was told to alert
 * must not run without saying so. Undefined without `alerts:`.
 */
export function serverAlerts(ws: Workspace, env: NodeJS.ProcessEnv = process.env): (AlertSinkOptions & AlertCheckOptions) | undefined {
  const a = ws.settings.alerts;
  if (!a) return undefined;
  const webhooks = a.webhooks.map((w) => {
    const setting = `alerts.webhooks.${w.name}.url`;
    const url = resolveSecret(w.url, setting, env, ws.settings.origin.values[setting]);
    if (url.value === undefined) throw new ExpError(url.diagnostics[0]!);
    return { name: w.name, url: url.value, format: w.format, kinds: w.kinds };
  });
  const rule = a.ingest_anomaly;
  return {
    webhooks,
    repeatAfterMs: a.repeat_after.seconds * 1000,
    srmThreshold: ws.settings.defaults.srm_threshold,
    ingestAnomaly: {
      windowMs: rule.window.seconds * 1000,
      baselineMs: rule.baseline.seconds * 1000,
      dropBelow: rule.drop_below,
      spikeAbove: rule.spike_above,
      minEvents: rule.min_events,
    },
  };
}
