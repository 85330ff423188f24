import { isMap, isScalar, parseDocument } from "yaml";

/**
 * Rewrites the variant weights and the bandit epoch of an experiment file, keeping everything else
 * (comments, key order, flow or block style) as it was, so the change reads as a small diff.
 */
export function rewriteBanditWeights(text: string, weights: Record<string, number>, epoch: number): string {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`the experiment file does not parse: ${doc.errors[0]!.message}`);
  for (const [variant, weight] of Object.entries(weights)) {
    const node = doc.getIn(["variants", variant], true);
    if (isMap(node)) node.set("weight", weight);
    // A variant written as a bare scalar or null (`control:`) becomes a map with its weight.
    else doc.setIn(["variants", variant], doc.createNode({ weight }, { flow: true }));
  }
  const bandit = doc.get("bandit", true);
  if (isMap(bandit)) bandit.set("epoch", epoch);
  else if (!isScalar(bandit)) doc.setIn(["bandit", "epoch"], epoch);
  return doc.toString({ lineWidth: 0, indent: 2, flowCollectionPadding: false, indentSeq: true });
}
