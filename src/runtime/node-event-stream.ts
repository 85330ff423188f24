import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { OpenEventStream } from "./ruleset-stream.js";

/**
 * Opens an event stream over node:http with its socket unref'd: an SDK following the ruleset
 * stream must not keep a process alive on its own, as its poll timer does not (an open `fetch`
 * would).
 */
export const openNodeEventStream: OpenEventStream = (url, headers, signal) =>
  new Promise((resolve, reject) => {
    const request = url.startsWith("https:") ? httpsRequest : httpRequest;
    const req = request(url, { headers, signal, agent: false }, (res) => {
      if (res.statusCode !== 200 || !String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
        res.resume();
        reject(new Error(`"${url}" answered ${res.statusCode} without an event stream`));
        return;
      }
      res.setEncoding("utf8");
      resolve(res);
    });
    req.on("socket", (socket) => socket.unref());
    req.on("error", reject);
    req.end();
  });
