/**
 * Electron main entry (out/main/index.js). What must happen before `ready` happens here: the
 * renderer sandbox for every page, the privileged app:// scheme, the userData override and the
 * single-instance lock. The rest is in shell.ts.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, protocol } from 'electron';
import { userDataOverride } from './app-paths';
import { registerAppScheme } from './app-protocol';
import { startShell } from './shell';

app.enableSandbox();
registerAppScheme(protocol);
const dataDir = userDataOverride(process.env);
if (dataDir !== null) app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock()) {
  // Another console runs for this user: it gets `second-instance` and comes to the front.
  app.quit();
} else {
  const mainDir = dirname(fileURLToPath(import.meta.url));
  app
    .whenReady()
    .then(() => startShell(mainDir))
    .catch((err: unknown) => {
      console.error('Vigie could not start', err);
      app.exit(1);
    });
}
