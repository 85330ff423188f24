/**
 * Fills `{{name}}` slots in a report template. Unknown slots are left visible as `{{name}}` so a
 * customised template with a typo shows the problem instead of silently dropping content.
 */
export function fillTemplate(template: string, slots: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => (name in slots ? slots[name]! : whole));
}
