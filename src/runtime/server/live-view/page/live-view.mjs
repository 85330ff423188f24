// The live view's connection: a token for the stream (asking for a reports:read key when the server
// needs one, kept in this tab's memory only), then the Server-Sent Events stream of snapshots.

import { render } from "./render.mjs";

const base = document.baseURI;
let key = null;
let retryMs = 1000;

function connection(message, state) {
  const node = document.getElementById("connection");
  node.textContent = message;
  node.className = state ?? "";
}

/** A stream token; null when the server needs a key this tab does not have (or that it refused). */
async function streamToken() {
  const res = await fetch(new URL("v1/live/token", base), {
    method: "POST",
    headers: key ? { authorization: `Bearer ${key}` } : {},
    cache: "no-store",
  });
  if (res.status === 401 || res.status === 403) {
    const refused = key !== null;
    key = null;
    askForKey(refused ? ((await res.json().catch(() => ({}))).error ?? "The key was refused.") : "");
    return null;
  }
  if (!res.ok) throw new Error(`the token request answered ${res.status}`);
  return (await res.json()).token;
}

function askForKey(error) {
  const form = document.getElementById("key-form");
  form.hidden = false;
  document.getElementById("key-error").textContent = error ? `${error} Enter a key with the reports:read scope.` : "";
  connection("Waiting for an API key.");
  document.getElementById("key").focus();
}

async function connect() {
  connection("Connecting…");
  let token;
  try {
    token = await streamToken();
  } catch {
    return retry("The server cannot be reached; trying again.");
  }
  if (token === null) return;
  const stream = new EventSource(new URL(`v1/live/stream?token=${encodeURIComponent(token)}`, base));
  stream.addEventListener("snapshot", (e) => {
    retryMs = 1000;
    connection("Live: updates arrive as they happen.", "live");
    render(JSON.parse(e.data));
  });
  stream.addEventListener("error", () => {
    // A dropped connection is retried by the browser; a refused one (an expired token) closes the
    // stream, and a new token is needed.
    if (stream.readyState === EventSource.CLOSED) {
      stream.close();
      retry("The live stream closed; reconnecting.");
    } else connection("The live stream was interrupted; reconnecting.", "lost");
  });
}

function retry(message) {
  connection(message, "lost");
  setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, 30_000);
}

document.getElementById("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = document.getElementById("key");
  key = input.value.trim();
  input.value = "";
  document.getElementById("key-form").hidden = true;
  document.getElementById("main").focus();
  void connect();
});

void connect();
