/**
 * Starts `vigie serve --estate` exactly as a user would (the built CLI in its own process) on a
 * free port with a throw-away data folder, and stops it afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServedEstate {
  readonly url: string;
  readonly token: string;
  readonly operatorKey: string;
  readonly dataDir: string;
  /** Runs the `vigie` CLI against this engine; resolves with its exit code and output. */
  cli(args: string[]): Promise<{ code: number; out: string }>;
  stop(): Promise<void>;
}

const CLI = 'out/main/cli.js';

export async function serveEstate(): Promise<ServedEstate> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
  const dataDir = await mkdtemp(join(tmpdir(), 'vigie-e2e-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'serve', '--estate', '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('is serving')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`vigie serve exited (${code}):\n${output}`)));
  });
  const info = JSON.parse(await readFile(join(dataDir, 'engine.json'), 'utf8')) as {
    url: string;
    token: string;
    operatorKey: string;
  };
  const cli = (args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr.on('data', (d: Buffer) => (out += d.toString()));
      c.once('exit', (code) => resolve({ code: code ?? -1, out }));
    });
  return {
    ...info,
    dataDir,
    cli,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
