import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A child process whose stdout is JSON lines, collected for assertions. */
export class JsonLinesChild {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a report line
      }
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Runs a compiled Node script with extra environment variables. */
  static node(script: string, env: Record<string, string>): JsonLinesChild {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    return new JsonLinesChild(child);
  }

  events(name: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line['event'] === name);
  }
}
