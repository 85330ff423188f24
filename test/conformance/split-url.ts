import type { Ruleset } from "../../src/ruleset/types.js";
import { experiment, ruleset } from "./ruleset-builder.js";

/**
 * The ruleset of the split-URL cases: a running split-URL experiment on half the traffic, a paused
 * one, and an A/B experiment whose variants have no url.
 */
export function splitUrlRuleset(): Ruleset {
  const urls = (control: string, gifts: string) => [
    { key: "control", weight: 5000, url: control },
    { key: "gifts", weight: 5000, config: { banner: "gift guide" }, url: gifts },
  ];
  return ruleset({
    experiments: {
      landing: experiment({ traffic: 5000, variants: urls("https://shop.example.com/", "https://shop.example.com/gifts?src=split") }),
      paused_landing: experiment({ status: "paused", variants: urls("/", "/gifts") }),
      plain: experiment(),
    },
  });
}

/**
 * The split-URL redirect cases (cases.json `redirects[]`): an assignment's enrolment and url, the
 * visitor's current url, and where the redirect helper sends them (null: stay). Every SDK's helper
 * must give the same answer. URLs are as browsers and servers hand them over: already encoded.
 */
export interface RedirectInput {
  name: string;
  inExperiment: boolean;
  url: string | null;
  currentUrl: string;
}

const GIFTS = "https://shop.example.com/gifts";

const enrolled = (name: string, url: string, currentUrl: string): RedirectInput => ({ name, inExperiment: true, url, currentUrl });

export const REDIRECT_CASES: RedirectInput[] = [
  // Who is not sent anywhere.
  { name: "not_enrolled", inExperiment: false, url: null, currentUrl: "https://shop.example.com/" },
  { name: "not_enrolled_with_url", inExperiment: false, url: GIFTS, currentUrl: "https://shop.example.com/" },
  { name: "enrolled_without_url", inExperiment: true, url: null, currentUrl: "https://shop.example.com/" },
  // Already there: same origin and path, whatever the query, fragment, case of the host or default port.
  enrolled("already_there", GIFTS, "https://shop.example.com/gifts"),
  enrolled("already_there_other_query", GIFTS, "https://shop.example.com/gifts?utm_source=ads#top"),
  enrolled("already_there_host_case_and_port", GIFTS, "https://SHOP.example.com:443/gifts"),
  enrolled("already_there_relative", GIFTS, "/gifts?utm_source=ads"),
  enrolled("already_there_variant_query", `${GIFTS}?src=split`, "https://shop.example.com/gifts?utm_source=ads"),
  enrolled("already_there_both_relative", "/gifts", "/gifts?x=1"),
  // Sent on, keeping the visitor's query and fragment.
  enrolled("plain", GIFTS, "https://shop.example.com/"),
  enrolled("keeps_query", GIFTS, "https://shop.example.com/?utm_source=ads&utm_campaign=xmas"),
  enrolled("keeps_fragment", GIFTS, "https://shop.example.com/#reviews"),
  enrolled("variant_fragment_wins", `${GIFTS}#top`, "https://shop.example.com/#reviews"),
  enrolled("variant_query_first", `${GIFTS}?src=split`, "https://shop.example.com/?utm_source=ads"),
  enrolled("variant_wins_clash", `${GIFTS}?utm_source=split&a=1`, "https://shop.example.com/?utm_source=ads&b=2"),
  enrolled("clash_on_every_repeat", `${GIFTS}?tag=x`, "https://shop.example.com/?tag=a&tag=b&keep=1"),
  enrolled("clash_by_decoded_name", `${GIFTS}?utm_source=split`, "https://shop.example.com/?utm%5Fsource=ads&q=a+b%20c"),
  enrolled("keeps_encoding", GIFTS, "https://shop.example.com/?q=caf%C3%A9&r=a%2Bb&s=&t"),
  enrolled("empty_pairs_dropped", GIFTS, "https://shop.example.com/?&a=1&&b=2&"),
  enrolled("empty_query", GIFTS, "https://shop.example.com/?"),
  enrolled("other_host", "https://gifts.example.com/", "https://shop.example.com/?utm_source=ads"),
  enrolled("other_scheme", GIFTS, "http://shop.example.com/gifts"),
  enrolled("other_port", GIFTS, "https://shop.example.com:8443/gifts"),
  enrolled("trailing_slash_differs", `${GIFTS}/`, "https://shop.example.com/gifts"),
  enrolled("variant_default_port", "https://shop.example.com:443/gifts", "https://shop.example.com/"),
  // Relative current urls (a server's request path) and relative variant urls.
  enrolled("relative_current", GIFTS, "/?utm_source=ads#x"),
  enrolled("relative_current_no_slash", GIFTS, "landing?utm_source=ads"),
  enrolled("relative_variant", "/gifts", "https://shop.example.com/landing?utm_source=ads"),
  enrolled("relative_variant_sibling", "gifts", "https://shop.example.com/shop/landing?utm_source=ads"),
  enrolled("relative_variant_parent", "../gifts?src=split", "https://shop.example.com/shop/landing/?utm_source=ads"),
  enrolled("both_relative", "/gifts?src=split", "/landing?utm_source=ads#top"),
  enrolled("protocol_relative_variant", "//gifts.example.com/", "https://shop.example.com/?a=1"),
];
