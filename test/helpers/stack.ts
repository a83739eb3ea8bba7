import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ENVIRONMENT_VARIABLES, type LogLevel } from '../../services/shared/index.js';
import type { Value } from './connectorHarness.js';
import { freePort } from './freePort.js';
import { repositoryRoot } from './repositoryRoot.js';
import { CLI_PATH } from './runCliProcess.js';
import { waitFor } from './waitFor.js';

/** The roles a stack runs, in the order it starts them (the simulator first: connectors dial it). */
export const STACK_ROLES = ['simulator', 'connector', 'projector', 'analytics', 'webhooks', 'api'] as const;
export type StackRole = (typeof STACK_ROLES)[number];

/** STACK_CPU_PROFILE_DIR (a probe's environment): every role writes <dir>/<name>.<run>.cpuprofile when it exits. */
const PROFILE_DIR = process.env['STACK_CPU_PROFILE_DIR'];

/**
 * Roles that run as many instances as one wants in the embedded setup. The projector and
 * analytics own their embedded store (PGlite, chDB) and serve it on a fixed port: one each.
 */
const SCALABLE: ReadonlySet<StackRole> = new Set(['connector', 'webhooks', 'api']);

export interface StackOptions {
  /** The roles to run (default every one). */
  roles?: readonly StackRole[];
  /** How many connector processes (default 1). */
  connectors?: number;
  /** KAFKA_PARTITIONS of every topic (default 4). */
  partitions?: number;
  /** The admin API_KEY (default a fixed test key). */
  apiKey?: string;
  /** LOG_LEVEL of the roles (default info: lifecycle lines only, which readiness is read from). */
  logLevel?: LogLevel;
  /** Environment of every role, over the stack's own (e.g. WA_SEND_PER_MINUTE, API_COMMAND_WAIT_MS). */
  env?: Readonly<Record<string, string>>;
  /** Environment of the broker scripts (e.g. KAFKA_HEAP_OPTS). */
  brokerEnv?: Readonly<Record<string, string>>;
  /** How long one role may take to start (default 180 s: the machine running tests may be slow). */
  readyTimeoutMs?: number;
  /** Lines of output kept per process (default 400). */
  keepLines?: number;
  /** A folder to append every process's whole output to, as `<name>.log` (kept after stop). */
  logDir?: string;
}

/** One line a process wrote, with its JSON fields when it was a log line. */
export interface StackLine {
  /** Which start of the process wrote it (1 for the first). */
  run: number;
  text: string;
  json: Record<string, unknown> | null;
}

/** A process of the stack that exited without being asked to. */
export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** An HTTP answer: status, parsed body (JSON, else `{ text }`) and headers. */
export interface StackAnswer {
  status: number;
  body: Value;
  headers: Headers;
}

interface RoleProcess {
  name: string;
  role: StackRole;
  env: NodeJS.ProcessEnv;
  child: ChildProcess | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  run: number;
  /** Set while the stack itself ends the process, so its exit is not unexpected. */
  stopping: boolean;
  lines: StackLine[];
}

const DEFAULT_KEY = 'stack-admin-key-0123456789abcdef';
/** Answers after which a careful client sends the same command again (same Idempotency-Key). */
const RETRIED_STATUSES: ReadonlySet<number> = new Set([202, 429, 500, 502, 503, 504]);
/** A role announces it is up with this log line (services/cli/runCli.ts). */
const STARTED = 'role started';


/** The environment the test runs in, without any variable a role reads (the stack sets its own). */
function baseEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ENVIRONMENT_VARIABLES) delete env[name];
  for (const name of ['KAFKA_PORT', 'KAFKA_CONTROLLER_PORT', 'KAFKA_DATA_DIR']) delete env[name];
  return env;
}

/** A line that says little in a failure report: an HTTP request log under 500, or a kafkajs warning (it logs every retried request). */
function isChatter(line: StackLine): boolean {
  const json = line.json;
  if (json === null) return false;
  if (json.msg === 'request') return typeof json.status === 'number' && json.status < 500;
  return json.component === 'kafkajs' && json.level === 40;
}

/** Runs a command to its end; resolves with its exit code and combined output. */
function runToEnd(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ code: -1, output: `${output}${error.message}` }));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/**
 * A whole deployment for tests and benchmarks: every role its own process
 * (`node <build>/services/cli/index.js start <role>`, the build this file was compiled into),
 * the simulator as WhatsApp, its own DATA_DIR and free ports, and its own single-node Kafka
 * broker (infra/kafka/start.sh on its own ports and data dir), so it can be restarted and
 * the fixed topic names are not shared with anything else. Processes can be killed,
 * restarted and added; every exit the stack did not cause is recorded.
 */
export class Stack {
  /** The `wa-backbone` CLI of the same build as this file. */
  static readonly cli = CLI_PATH;

  /** Every exit of a process the stack did not cause (kill, stop), in order. */
  readonly unexpectedExits: UnexpectedExit[] = [];
  private readonly processes = new Map<string, RoleProcess>();
  private readonly repo = repositoryRoot();
  private readonly onExit = (): void => this.killAllNow();
  private stopped = false;

  private constructor(
    readonly root: string,
    readonly dataDir: string,
    readonly apiKey: string,
    readonly ports: { api: number; sim: number; projector: number; analytics: number; kafka: number; controller: number },
    private readonly options: StackOptions,
  ) {}

  /** Starts the broker, creates the topics, then every role; resolves once each announced it started. */
  static async start(options: StackOptions = {}): Promise<Stack> {
    const root = await mkdtemp(path.join(tmpdir(), 'wa-stack-'));
    const ports = { api: 0, sim: 0, projector: 0, analytics: 0, kafka: 0, controller: 0 };
    const taken = new Set<number>();
    for (const name of Object.keys(ports) as Array<keyof typeof ports>) {
      let port = await freePort();
      while (taken.has(port)) port = await freePort();
      taken.add(port);
      ports[name] = port;
    }
    const stack = new Stack(root, path.join(root, 'data'), options.apiKey ?? DEFAULT_KEY, ports, options);
    process.once('exit', stack.onExit);
    try {
      await stack.startBroker();
      const topics = await runToEnd(process.execPath, [Stack.cli, 'topics', 'create'], stack.roleEnv());
      if (topics.code !== 0) throw new Error(`topics create exited with ${topics.code}:\n${topics.output}`);
      const roles = options.roles ?? STACK_ROLES;
      if (roles.includes('simulator')) await stack.launch('simulator', 'simulator');
      const others: Promise<void>[] = [];
      for (const role of roles) {
        if (role === 'simulator') continue;
        const count = role === 'connector' ? (options.connectors ?? 1) : 1;
        for (let i = 1; i <= count; i += 1) others.push(stack.launch(role, i === 1 ? role : `${role}-${i}`));
      }
      const started = await Promise.allSettled(others);
      const failed = started.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (error) {
      const report = stack.report();
      await stack.stop();
      throw new Error(`the stack did not start: ${error instanceof Error ? error.message : String(error)}\n${report}`, { cause: error });
    }
    return stack;
  }

  /** The base URL of the first api process. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  /** The base URL of the simulator (its control API). */
  get simUrl(): string {
    return `http://127.0.0.1:${this.ports.sim}`;
  }

  /** The stack's broker, as KAFKA_BROKERS entries. */
  get brokers(): string[] {
    return [`127.0.0.1:${this.ports.kafka}`];
  }

  /** KAFKA_PARTITIONS of every topic. */
  get partitions(): number {
    return this.options.partitions ?? 4;
  }

  /** Names of the processes, running or not (`connector`, `connector-2`, `api`...). */
  names(): string[] {
    return [...this.processes.keys()];
  }

  /** True while the process runs. */
  isRunning(name: string): boolean {
    const child = this.entry(name).child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** The process id of a running process. */
  pidOf(name: string): number | undefined {
    return this.isRunning(name) ? this.entry(name).child?.pid : undefined;
  }

  /** Lines a process wrote (all its runs, at most `keepLines`), optionally only the log lines with this `msg`, or only the current run's. */
  lines(name: string, filter: { msg?: string; currentRun?: boolean } = {}): StackLine[] {
    const entry = this.entry(name);
    return entry.lines.filter((line) => (filter.currentRun !== true || line.run === entry.run) && (filter.msg === undefined || line.json?.msg === filter.msg));
  }

  /** Signals a process and waits for it to exit (SIGKILL by default); no-op when it is not running. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const entry = this.entry(name);
    if (!this.isRunning(name)) return entry.exited;
    entry.stopping = true;
    entry.child!.kill(signal);
    return entry.exited;
  }

  /** Starts a stopped (killed, exited) process again with the same environment; resolves once it announced it started. */
  async restart(name: string): Promise<void> {
    const entry = this.entry(name);
    if (this.isRunning(name)) throw new Error(`${name} is still running; kill it first`);
    await this.spawnRole(entry);
  }

  /**
   * Starts one more instance of a role that scales out (connector, webhooks, api), named
   * `<role>-<n>`; an extra api listens on its own PORT (see urlOf). Resolves with its name
   * once it announced it started.
   */
  async startExtra(role: StackRole, env: Readonly<Record<string, string>> = {}): Promise<string> {
    if (!SCALABLE.has(role)) throw new Error(`${role} owns an embedded store: it runs once per stack`);
    let n = 2;
    while (this.processes.has(`${role}-${n}`)) n += 1;
    const name = `${role}-${n}`;
    const own = role === 'api' && env.PORT === undefined ? { PORT: String(await freePort()), ...env } : env;
    await this.launch(role, name, own);
    return name;
  }

  /** The base URL of an api process (the first one at `apiUrl`). */
  urlOf(name: string): string {
    return `http://127.0.0.1:${this.entry(name).env.PORT}`;
  }

  /** Where a process serves /metrics, /livez and /readyz. */
  opsUrl(name: string): string {
    return `http://127.0.0.1:${this.entry(name).env.METRICS_PORT}`;
  }

  /** One scrape of a process's /metrics: the text, and every sample by series name and labels (the role label left out). */
  async metrics(name: string): Promise<{ text: string; samples: Map<string, number> }> {
    const response = await fetch(`${this.opsUrl(name)}/metrics`);
    if (response.status !== 200) throw new Error(`${name} /metrics answered ${response.status}`);
    const text = await response.text();
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line);
      if (!match) continue;
      // The role label is on every series; leave it out so keys read like the series' own labels.
      const labels = (match[2] ?? '').replace(/,?role="[^"]*"/, '').replace('{,', '{').replace(/^\{\}$/, '');
      samples.set(`${match[1]}${labels}`, Number(match[3]));
    }
    return { text, samples };
  }

  /** Starts the stack's broker (again); resolves once it answers Kafka requests. */
  async startBroker(): Promise<void> {
    const started = await runToEnd('bash', [path.join(this.repo, 'infra/kafka/start.sh')], this.brokerEnv(), this.repo);
    if (started.code !== 0) throw new Error(`infra/kafka/start.sh exited with ${started.code}:\n${started.output}`);
  }

  /** Stops the stack's broker (SIGTERM: a controlled shutdown), keeping its data. */
  async stopBroker(): Promise<void> {
    const stopped = await runToEnd('bash', [path.join(this.repo, 'infra/kafka/stop.sh')], this.brokerEnv(), this.repo);
    if (stopped.code !== 0) throw new Error(`infra/kafka/stop.sh exited with ${stopped.code}:\n${stopped.output}`);
  }

  /** Stops the broker and starts it again on the same ports and data. */
  async restartBroker(): Promise<void> {
    await this.stopBroker();
    await this.startBroker();
  }

  /** Kills every process, stops the broker and removes the stack's directories. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // Profiled roles write their profiles only when they exit on their own (SIGTERM drains them).
    await Promise.all(this.names().map((name) => this.kill(name, PROFILE_DIR ? 'SIGTERM' : 'SIGKILL')));
    await this.stopBroker().catch(() => undefined);
    process.removeListener('exit', this.onExit);
    await rm(this.root, { recursive: true, force: true });
  }

  /** Calls the API (admin key unless headers set one) with a JSON body; throws only when no answer came (e.g. connection refused). */
  async api(method: string, pathname: string, body?: unknown, headers: Readonly<Record<string, string>> = {}, base = this.apiUrl): Promise<StackAnswer> {
    const all: Record<string, string> = { 'x-api-key': this.apiKey, ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${base}${pathname}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let parsed: Value;
    try {
      parsed = text === '' ? {} : (JSON.parse(text) as Value);
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  /**
   * Calls a command route as a careful client: the same request with the same Idempotency-Key
   * again while the API is unreachable or answers 202 (still running), 429 or 5xx; resolves
   * with the first other answer, throws with the last one when `timeoutMs` ran out.
   */
  async command(method: string, pathname: string, body: unknown, key: string, timeoutMs = 150_000): Promise<StackAnswer> {
    let last = 'no answer';
    try {
      return await waitFor(
        async () => {
          try {
            const answer = await this.api(method, pathname, body, { 'idempotency-key': key });
            last = `${answer.status} ${JSON.stringify(answer.body)}`;
            return RETRIED_STATUSES.has(answer.status) ? null : answer;
          } catch (error) {
            last = error instanceof Error ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}` : String(error);
            return null;
          }
        },
        `${method} ${pathname} (Idempotency-Key ${key}) answered`,
        { timeoutMs, intervalMs: 250 },
      );
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; last answer: ${last}`, { cause: error });
    }
  }

  /**
   * Creates an account through the API and links it as a user would: waits for its QR code,
   * has the simulated `phone` scan it, and waits until the API reports it connected.
   */
  async link(accountId: string, phone: string, timeoutMs = 150_000): Promise<void> {
    const created = await this.command('POST', '/accounts', { id: accountId, name: accountId }, `create-${accountId}-${randomUUID()}`, timeoutMs);
    if (created.status !== 201) throw new Error(`POST /accounts ${accountId} answered ${created.status}: ${JSON.stringify(created.body)}`);
    await waitFor(async () => (await this.api('GET', `/channels/${accountId}/qr`)).status === 200, `a QR code for ${accountId}`, { timeoutMs });
    await this.sim('/sim/link', { accountId, phone });
    await waitFor(async () => (await this.api('GET', `/accounts/${accountId}/status`)).body.status === 'connected', `${accountId} connected`, { timeoutMs });
  }

  /** Calls the simulator's control API: POST with a body, GET without; throws on anything but 2xx. */
  async sim(pathname: string, body?: unknown): Promise<Value> {
    const response = await fetch(`${this.simUrl}${pathname}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (response.status < 200 || response.status >= 300) throw new Error(`simulator ${pathname} answered ${response.status}: ${text}`);
    return JSON.parse(text) as Value;
  }

  /** Every process's state and last telling lines (no request logs, no kafkajs retry chatter), and the broker's last lines: for failure messages. */
  report(tail = 25): string {
    const parts: string[] = [];
    for (const entry of this.processes.values()) {
      const state = this.isRunning(entry.name) ? `running pid ${entry.child?.pid}` : `exited (${entry.child?.exitCode ?? entry.child?.signalCode ?? 'never started'})`;
      const telling = entry.lines.filter((line) => !isChatter(line));
      parts.push(`--- ${entry.name} (run ${entry.run}, ${state}) ---`, ...telling.slice(-tail).map((line) => `[${line.run}] ${line.text.slice(0, 1_000)}`));
    }
    const brokerOut = path.join(this.root, 'kafka', 'kafka.out');
    if (existsSync(brokerOut)) parts.push('--- broker (kafka.out) ---', ...readFileSync(brokerOut, 'utf8').trimEnd().split('\n').slice(-tail));
    if (this.unexpectedExits.length > 0) parts.push(`--- unexpected exits: ${JSON.stringify(this.unexpectedExits)}`);
    return parts.join('\n');
  }

  /** The environment of every role process. */
  roleEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return {
      ...baseEnvironment(),
      KAFKA_BROKERS: this.brokers.join(','),
      KAFKA_PARTITIONS: String(this.partitions),
      DATA_DIR: this.dataDir,
      WA_DRIVER: 'simulator',
      PORT: String(this.ports.api),
      SIM_PORT: String(this.ports.sim),
      PROJECTOR_PORT: String(this.ports.projector),
      ANALYTICS_PORT: String(this.ports.analytics),
      API_KEY: this.apiKey,
      // Test receivers listen on loopback.
      WEBHOOK_ALLOW_PRIVATE: 'true',
      LOG_LEVEL: this.options.logLevel ?? 'info',
      ...this.options.env,
      ...extra,
    };
  }

  private brokerEnv(): NodeJS.ProcessEnv {
    return {
      ...baseEnvironment(),
      KAFKA_PORT: String(this.ports.kafka),
      KAFKA_CONTROLLER_PORT: String(this.ports.controller),
      KAFKA_DATA_DIR: path.join(this.root, 'kafka'),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
      KAFKA_STOP_TIMEOUT: '20',
      ...this.options.brokerEnv,
    };
  }

  private entry(name: string): RoleProcess {
    const entry = this.processes.get(name);
    if (!entry) throw new Error(`no process ${name} in the stack (${this.names().join(', ')})`);
    return entry;
  }

  private async launch(role: StackRole, name: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    // Every process its own ops server port, kept across its restarts.
    const own = env.METRICS_PORT === undefined ? { METRICS_PORT: String(await freePort()), ...env } : env;
    const entry: RoleProcess = { name, role, env: this.roleEnv(own), child: undefined, exited: Promise.resolve({ code: null, signal: null }), run: 0, stopping: false, lines: [] };
    this.processes.set(name, entry);
    await this.spawnRole(entry);
  }

  private async spawnRole(entry: RoleProcess): Promise<void> {
    entry.run += 1;
    entry.stopping = false;
    const run = entry.run;
    const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${entry.name}.${run}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profile, Stack.cli, 'start', entry.role], { env: entry.env, stdio: ['ignore', 'pipe', 'pipe'] });
    entry.child = child;
    const keep = this.options.keepLines ?? 400;
    const collect = (text: string): void => {
      let json: Record<string, unknown> | null = null;
      if (text.startsWith('{')) {
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = null;
        }
      }
      entry.lines.push({ run, text, json });
      if (entry.lines.length > keep) entry.lines.splice(0, entry.lines.length - keep);
    };
    createInterface({ input: child.stdout! }).on('line', collect);
    createInterface({ input: child.stderr! }).on('line', collect);
    if (this.options.logDir !== undefined) {
      mkdirSync(this.options.logDir, { recursive: true });
      const file = createWriteStream(path.join(this.options.logDir, `${entry.name}.log`), { flags: 'a' });
      child.stdout!.pipe(file, { end: false });
      child.stderr!.pipe(file, { end: false });
      child.once('close', () => file.end());
    }
    entry.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!entry.stopping && !this.stopped) this.unexpectedExits.push({ name: entry.name, code, signal, at: Date.now() });
        resolve({ code, signal });
      });
    });
    const outcome = await waitFor(
      () => {
        if (entry.lines.some((line) => line.run === run && line.json?.msg === STARTED)) return 'started';
        return child.exitCode !== null || child.signalCode !== null ? 'exited' : null;
      },
      `${entry.name} to start`,
      { timeoutMs: this.options.readyTimeoutMs ?? 180_000, intervalMs: 100 },
    ).catch((error: Error) => error);
    if (outcome !== 'started') {
      const why = outcome === 'exited' ? `${entry.name} exited (${child.exitCode ?? child.signalCode}) before it started` : outcome.message;
      const lines = entry.lines.filter((line) => line.run === run).slice(-40).map((line) => line.text);
      throw new Error(`${why}\n${lines.join('\n')}`);
    }
  }

  // Last resort when the test process ends without stop(): no child or broker outlives it.
  private killAllNow(): void {
    for (const entry of this.processes.values()) if (entry.child?.exitCode === null && entry.child.signalCode === null) entry.child.kill('SIGKILL');
    try {
      const pid = Number(readFileSync(path.join(this.root, 'kafka', 'kafka.pid'), 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // no broker running
    }
  }
}
