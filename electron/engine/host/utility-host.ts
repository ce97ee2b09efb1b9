/**
 * Entry point of the engine inside Electron's utilityProcess (docs/adr/0001). It talks to main
 * through `process.parentPort`, which Electron adds to the process object: no import of
 * 'electron', so the engine stays testable under plain Node.
 */
import { parseArgs } from 'node:util';
import { version } from '../../../package.json';
import { createFileLogger } from '../adapters/log/pino-logger';
import { openVault } from '../adapters/secrets/open-vault';
import { handedVaultKey, unavailableVaultKey } from '../adapters/secrets/vault-key';
import type { VaultKeyProvider } from '../adapters/secrets/vault-secret-store';
import { dispatch } from '../api/dispatch';
import { formatIssues, loadConfigFile } from '../config/load-config';
import { configSchema } from '../config/schema';
import { startEngine, type Engine } from '../engine';
import type { Principal, SeatSession } from '../ports/principal';
import type { HostToMain, MainToHost, VaultHandoff } from './host-protocol';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: HostToMain): void;
}

function isMainToHost(data: unknown): data is MainToHost {
  return (
    typeof data === 'object' &&
    data !== null &&
    'type' in data &&
    (data.type === 'start' || data.type === 'invoke' || data.type === 'shutdown')
  );
}

/** Main's first message: `start`, with the vault key (parentPort queues it until we listen). */
function startMessage(port: ParentPort): Promise<VaultHandoff> {
  return new Promise((resolve) => {
    let started = false;
    port.on('message', ({ data }) => {
      if (started || !isMainToHost(data) || data.type !== 'start') return;
      started = true;
      resolve(data.vault);
    });
  });
}

function vaultKeyOf(handoff: VaultHandoff): VaultKeyProvider {
  if ('unavailable' in handoff) return unavailableVaultKey(handoff.unavailable);
  try {
    return handedVaultKey(handoff.key, 'the desktop key (safeStorage)');
  } catch (err: unknown) {
    return unavailableVaultKey(err instanceof Error ? err.message : String(err));
  }
}

async function main(): Promise<void> {
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (!port) {
    process.stderr.write('engine-host: must run inside an Electron utilityProcess\n');
    process.exit(2);
  }
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string' }, config: { type: 'string' } },
    strict: false,
  });
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : process.cwd();
  const logger = createFileLogger(dataDir);
  let config = configSchema.parse({ estate: true });
  if (typeof values.config === 'string') {
    const result = await loadConfigFile(values.config);
    if (!result.ok) {
      port.postMessage({ type: 'fatal', message: formatIssues(values.config, result.issues) });
      process.exit(2);
    }
    config = result.config;
  }
  const vault = await openVault(dataDir, vaultKeyOf(await startMessage(port)), logger);
  let engine: Engine;
  try {
    engine = await startEngine({ config, dataDir, version, logger, vault });
  } catch (err: unknown) {
    logger.error({ err }, 'engine failed to start');
    port.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  // The workstation is one seat: its windows (console, wall) share the person signed in on it,
  // and receive the events that person may see (none while locked, or signed out where
  // anonymous viewing is off).
  const desktopSession: SeatSession = { token: null };
  let desktopPrincipal: Principal | null = null;
  const recheck = (): void => {
    engine.sessions.authenticate(desktopSession).then(
      (who) => {
        desktopPrincipal = who.ok ? who.principal : null;
      },
      (err: unknown) => {
        desktopPrincipal = null;
        logger.warn({ err }, 'session check failed');
      },
    );
  };
  recheck();
  setInterval(recheck, 15_000).unref();
  engine.onEvent((event, payload) => {
    const visible = desktopPrincipal === null ? null : engine.scope.event(event, payload, desktopPrincipal);
    if (visible !== null) port.postMessage({ type: 'event', event, payload: visible });
  });
  port.on('message', ({ data }) => {
    if (!isMainToHost(data)) return;
    if (data.type === 'shutdown') {
      engine.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
      return;
    }
    if (data.type !== 'invoke') return;
    if (data.type !== 'invoke') return;
    dispatch(
      engine.handlers,
      data.channel,
      data.request,
      {
        name: 'desktop',
        session: desktopSession,
        onPrincipal: (p) => {
          desktopPrincipal = p;
        },
      },
      engine.sessions.authenticate,
      logger,
    ).then(
      (envelope) => port.postMessage({ type: 'result', id: data.id, envelope }),
      (err: unknown) => logger.error({ err }, 'dispatch failed'),
    );
  });
  port.postMessage({ type: 'ready', version, training: engine.training });
}

void main();
