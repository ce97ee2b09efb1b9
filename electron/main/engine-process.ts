/**
 * Starts the engine host (out/main/engine-host.js) in an Electron utilityProcess: a Node
 * process of its own, so a slow poll or a crash in the engine never blocks or takes down window
 * handling. Its stdout and stderr go line by line into the shell's log.
 */
import { createInterface } from 'node:readline';
import { utilityProcess } from 'electron';
import type { EngineChild } from './engine-supervisor';
import type { ShellLogger } from './logger';

export const ENGINE_SERVICE_NAME = 'Vigie engine';

function pipeLines(stream: NodeJS.ReadableStream | null, log: (line: string) => void): void {
  if (stream === null) return;
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') log(line.length > 4000 ? `${line.slice(0, 4000)}…` : line);
  });
}

export function forkEngineHost(modulePath: string, args: string[], logger: ShellLogger): EngineChild {
  const child = utilityProcess.fork(modulePath, args, { serviceName: ENGINE_SERVICE_NAME, stdio: 'pipe' });
  pipeLines(child.stdout, (line) => logger.info({ stream: 'stdout', line }, 'engine output'));
  pipeLines(child.stderr, (line) => logger.warn({ stream: 'stderr', line }, 'engine output'));
  child.on('error', (type, location) => logger.error({ type, location }, 'engine process error'));
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => child.postMessage(message),
    kill: () => child.kill(),
    onMessage: (listener) => {
      child.on('message', (message: unknown) => listener(message));
    },
    onExit: (listener) => {
      child.on('exit', listener);
    },
  };
}
