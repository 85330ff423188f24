// Renders a snapshot of GET /v1/live/stream into the page. Every value goes in as text (never as
// markup), and a section is rebuilt only when its part of the snapshot changed, so that keyboard
// focus and screen readers are not disturbed by updates that changed nothing there.

import { exposureChart, intervalBar, swatch } from "./chart.mjs";

const integer = new Intl.NumberFormat("en-US");
const rendered = new Map();

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) node.append(c);
  return node;
}

/** A table with a caption, column headers, and the first cell of each row as its row header. */
function table(caption, columns, rows) {
  return h(
    "div",
    { class: "scroll" },
    h(
      "table",
      {},
      h("caption", {}, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : undefined }, c.label)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((cells) =>
          h(
            "tr",
            {},
            cells.map((cell, i) => {
              const tag = i === 0 ? "th" : "td";
              const attrs = { scope: i === 0 ? "row" : undefined, class: columns[i].num ? "num" : undefined };
              return h(tag, attrs, cell);
            }),
          ),
        ),
      ),
    ),
  );
}

/** Rebuilds the section `id` from `part` when it differs from what is shown. */
function section(id, part, build) {
  const key = JSON.stringify(part);
  if (rendered.get(id) === key) return;
  rendered.set(id, key);
  const target = document.getElementById(id);
  target.replaceChildren(...[build(part)].flat());
  target.classList.remove("changed");
  // Restarts the highlight (off under prefers-reduced-motion).
  void target.offsetWidth;
  target.classList.add("changed");
}

export function render(s) {
  text("ruleset-version", s.ruleset ? String(s.ruleset.version) : "none published");
  text("ruleset-checksum", s.ruleset ? s.ruleset.checksum.slice(0, 12) : "–");
  text("generated-at", s.generatedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"));
  section("guards", s.guards, guards);
  section("experiments", { experiments: s.experiments }, ({ experiments }) => experimentsView(experiments));
  section("metrics", { metrics: s.metrics, available: s.metricsAvailable }, ({ metrics, available }) => metricsView(metrics, available));
  section("flags", s.flags, flagsView);
  section("audit", s.audit, auditView);
}

function text(id, value) {
  const node = document.getElementById(id);
  if (node.textContent !== value) node.textContent = value;
}

function guards(list) {
  if (list.length === 0) return h("p", { class: "note" }, "No guards are reported by this server.");
  const order = { breached: 0, collecting: 2, watching: 1 };
  return [...list]
    .sort((a, b) => (order[a.state] ?? 3) - (order[b.state] ?? 3))
    .map((g) => {
      const target = `${g.target} ${g.key}${g.rule ? `, rule ${g.rule}` : ""}`;
      if (g.state === "breached")
        return h(
          "div",
          { class: "guard breached", role: "alert" },
          h("p", { class: "title" }, h("span", { class: "icon", "aria-hidden": "true" }, "⚠"), `Guard breached: ${target}`),
          h("p", {}, `Action taken: ${g.action === "rollback" ? "rolled back" : "paused"}. Metrics: ${g.metrics.join(", ")}.`),
          g.since ? h("p", {}, `Since ${g.since}.`) : null,
          g.reason ? h("p", {}, g.reason) : null,
        );
      const icon = g.state === "watching" ? "✓" : "…";
      return h(
        "div",
        { class: "guard" },
        h(
          "p",
          { class: "title" },
          h("span", { class: `icon state-${g.state}`, "aria-hidden": "true" }, icon),
          `Guard ${g.state}: ${target}`,
        ),
        h("p", { class: "muted" }, `On a breach: ${g.action}. Metrics: ${g.metrics.join(", ")}.`),
      );
    });
}

function experimentsView(experiments) {
  if (experiments.length === 0) return h("p", { class: "note" }, "No experiments in the served ruleset.");
  return experiments.map((e, i) => {
    const variants = e.variants.map((v) => v.key);
    const srm = e.srm.ok
      ? h("span", { class: "badge state-ok" }, "✓ no sample ratio mismatch")
      : h("span", { class: "badge state-bad" }, "⚠ sample ratio mismatch");
    return h(
      "article",
      { class: "experiment", "aria-labelledby": `experiment-${i}` },
      h("h3", { id: `experiment-${i}` }, e.key),
      h(
        "p",
        {},
        `Status ${e.status}, phase ${e.phase}, traffic ${percent(e.traffic)}${e.layer ? `, layer ${e.layer}` : ""}. `,
        srm,
        ` (χ² ${e.srm.chi2.toFixed(2)}, p ${pValue(e.srm.p)}, threshold ${e.srm.threshold}).`,
      ),
      table(
        `Exposures per variant in ${e.key}`,
        [{ label: "Variant" }, { label: "Weight", num: true }, { label: "Units", num: true }, { label: "Exposures", num: true }],
        e.variants.map((v) => [v.key, percent(v.weight), integer.format(v.units), integer.format(v.exposures)]),
      ),
      h(
        "ul",
        { class: "legend", "aria-label": `Chart legend for ${e.key}` },
        variants.map((v, j) => h("li", {}, swatch(j), v)),
      ),
      exposureChart(`chart-${i}`, e.key, variants, e.series),
    );
  });
}

function metricsView(metrics, available) {
  if (!available) return h("p", { class: "note" }, "Live metric statistics are not available on this server.");
  const shown = metrics.filter((m) => m.role === "primary" || m.role === "guardrail");
  if (shown.length === 0) return h("p", { class: "note" }, "No primary metric or guardrail has live statistics yet.");
  const byExperiment = new Map();
  for (const m of shown) byExperiment.set(m.experiment, [...(byExperiment.get(m.experiment) ?? []), m]);
  return [...byExperiment].map(([experiment, rows]) =>
    table(
      `Live lifts in ${experiment} (always-valid confidence sequences)`,
      [
        { label: "Metric" },
        { label: "Role" },
        { label: "Variant" },
        { label: "Units", num: true },
        { label: "Mean", num: true },
        { label: "Lift", num: true },
        { label: "Confidence sequence" },
        { label: "State" },
      ],
      rows.map((m) => [
        m.metric,
        m.role,
        m.variant,
        integer.format(m.units),
        m.mean === null ? "–" : m.mean.toPrecision(3),
        m.lift === null ? "–" : signedPercent(m.lift),
        m.lower === null || m.upper === null
          ? "–"
          : h(
              "span",
              {},
              intervalBar(m.lift ?? 0, m.lower, m.upper, m.state === "failed"),
              ` ${signedPercent(m.lower)} to ${signedPercent(m.upper)}`,
            ),
        m.state ? h("span", { class: `badge state-${m.state}` }, `${m.state === "failed" ? "⚠ " : ""}${m.state}`) : "–",
      ]),
    ),
  );
}

function flagsView(flags) {
  if (flags.length === 0) return h("p", { class: "note" }, "No flags in the served ruleset.");
  return table(
    "Flags in the served ruleset",
    [{ label: "Flag" }, { label: "Enabled" }, { label: "Default" }, { label: "Rules" }],
    flags.map((f) => [
      f.key,
      f.enabled ? "yes" : "no (kill switch)",
      f.default,
      f.rules.map((r) => `${r.name} (${r.kind})`).join(", ") || "–",
    ]),
  );
}

function auditView(audit) {
  if (audit.length === 0) return h("p", { class: "note" }, "The audit log is empty.");
  return table(
    "The newest publish audit records",
    [{ label: "Seq", num: true }, { label: "Time" }, { label: "Action" }, { label: "Versions" }, { label: "Actor" }, { label: "Summary" }],
    audit.map((r) => [String(r.seq), r.ts, r.action, `${r.fromVersion ?? "–"} → ${r.toVersion}`, r.actor, r.summary]),
  );
}

function percent(share) {
  return `${Math.round(share * 1000) / 10}%`;
}

function signedPercent(x) {
  const p = Math.round(x * 1000) / 10;
  return `${p > 0 ? "+" : p < 0 ? "−" : ""}${Math.abs(p)}%`;
}

function pValue(p) {
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}
