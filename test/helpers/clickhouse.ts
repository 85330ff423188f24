// A throwaway two-shard ClickHouse cluster for tests: two `clickhouse-server` processes (Debian's
// package, 18.16 here) on free loopback ports, each with its own config and data folder in one temp
// dir, and a `remote_servers` section naming both as the shards of cluster "exp". Missing binaries
// are a test failure with a clear message, never a silent skip.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./postgres.js";
import { waitUntil } from "./wait.js";

export const CLICKHOUSE_CLUSTER = "exp";

const SERVER_BIN = "/usr/sbin/clickhouse-server";

export interface ClickHouseShard {
  /** The HTTP interface, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  readonly tcpPort: number;
}

export interface ClickHouseCluster {
  readonly shards: readonly ClickHouseShard[];
  /** Runs one statement over HTTP on a shard (default the first) with query-level settings, and returns the response body. */
  query(sql: string, shard?: number, settings?: Record<string, string | number>): Promise<string>;
  stop(): Promise<void>;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

function remoteServers(tcpPorts: readonly number[]): string {
  const shards = tcpPorts.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`).join("");
  return `<remote_servers><${CLICKHOUSE_CLUSTER}>${shards}</${CLICKHOUSE_CLUSTER}></remote_servers>`;
}

function serverConfig(dir: string, httpPort: number, tcpPort: number, cluster: string, usersXml: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${usersXml}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <keep_alive_timeout>30</keep_alive_timeout>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  ${cluster}
</yandex>
`;
}

async function query(url: string, sql: string, settings: Record<string, string | number>): Promise<string> {
  const target = new URL(url);
  for (const [k, v] of Object.entries(settings)) target.searchParams.set(k, String(v));
  const res = await fetch(target, { method: "POST", body: sql });
  const body = await res.text();
  if (!res.ok) throw new Error(`ClickHouse at ${url} answered ${res.status}: ${body.trim()}\n${sql.slice(0, 2000)}`);
  return body;
}

async function answersPing(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}ping`);
    return res.ok && (await res.text()).trim() === "Ok.";
  } catch {
    return false;
  }
}

export async function startClickHouse(shardCount = 2): Promise<ClickHouseCluster> {
  if (!existsSync(SERVER_BIN)) {
    throw new Error(
      `ClickHouse server binary not found at ${SERVER_BIN}. Install it with \`apt-get install -y clickhouse-server\`; the ClickHouse tests need a real cluster.`,
    );
  }
  const root = mkdtempSync(join(tmpdir(), "exp-ch-"));
  const usersXml = join(root, "users.xml");
  writeFileSync(usersXml, USERS_XML);
  const ports: { http: number; tcp: number }[] = [];
  const taken = new Set<number>();
  while (ports.length < shardCount) {
    const http = await freePort();
    const tcp = await freePort();
    if (http === tcp || taken.has(http) || taken.has(tcp)) continue;
    taken.add(http).add(tcp);
    ports.push({ http, tcp });
  }
  const cluster = remoteServers(ports.map((p) => p.tcp));
  const children: ChildProcess[] = [];
  const shards: ClickHouseShard[] = [];
  const exited = new Set<number>();

  let stopped = false;
  const killAll = (signal: NodeJS.Signals) => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    killAll("SIGKILL");
    rmSync(root, { recursive: true, force: true });
  };
  // A crashed test process must not leave servers behind.
  process.once("exit", stopSync);

  const logsOf = (i: number) => {
    const file = join(root, `shard${i}`, "server.err.log");
    return existsSync(file) ? readFileSync(file, "utf8").slice(-4000) : "";
  };

  for (const [i, p] of ports.entries()) {
    const dir = join(root, `shard${i}`);
    for (const sub of ["data", "tmp", "user_files", "format_schemas"]) mkdirSync(join(dir, sub), { recursive: true });
    const config = join(dir, "config.xml");
    writeFileSync(config, serverConfig(dir, p.http, p.tcp, cluster, usersXml));
    const child = spawn(SERVER_BIN, [`--config-file=${config}`], { cwd: dir, stdio: "ignore" });
    child.on("exit", () => exited.add(i));
    child.on("error", () => exited.add(i));
    children.push(child);
    shards.push({ url: `http://127.0.0.1:${p.http}/`, tcpPort: p.tcp });
  }

  const up = await waitUntil(
    async () => exited.size > 0 || (await Promise.all(shards.map((s) => answersPing(s.url)))).every(Boolean),
    30_000,
    50,
  );
  if (!up || exited.size > 0) {
    const logs = shards.map((_, i) => `shard ${i}:\n${logsOf(i)}`).join("\n");
    process.removeListener("exit", stopSync);
    stopSync();
    throw new Error(`The test ClickHouse servers did not start within 30 s (${exited.size} exited).\n${logs}`);
  }

  return {
    shards,
    query: (sql, shard = 0, settings = {}) => query(shards[shard]!.url, sql, settings),
    async stop() {
      process.removeListener("exit", stopSync);
      if (stopped) return;
      killAll("SIGTERM");
      const down = await waitUntil(() => children.every((c) => c.exitCode !== null || c.signalCode !== null), 15_000, 20);
      if (!down) killAll("SIGKILL");
      await waitUntil(() => children.every((c) => c.exitCode !== null || c.signalCode !== null), 5_000, 20);
      stopped = true;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
