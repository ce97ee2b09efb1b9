/**
 * Electron smoke test: launches the built app (out/main/index.js, via the package's `main`) in
 * a real Electron and checks the shell's promises from the outside: the window title carries
 * the state, the console renders over the bridge, the page has no Node, window.open is blocked
 * and the CSP is enforced. Where no Electron binary exists it reports itself skipped, with why.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { RawBridge } from '../../../shared/api/bridge';
import { findElectronBinary } from './electron-binary';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const binary = findElectronBinary(repoRoot);
const skipReason = binary.found ? '' : `No Electron binary: ${binary.reason}`;

/** The page's view of the preload bridge. */
type PageWindow = Window & { vigie: RawBridge } & Record<string, unknown>;

test.describe('Electron shell', () => {
  test.describe.configure({ mode: 'serial' });
  if (!binary.found) console.log(`[electron e2e] skipped. ${skipReason}`);
  test.skip(!binary.found, skipReason);

  let app: ElectronApplication | null = null;
  let page: Page;
  let dataDir = '';

  test.beforeAll(async () => {
    if (!binary.found) return;
    const main = join(repoRoot, 'out', 'main', 'index.js');
    if (!existsSync(main))
      throw new Error(`${main} is missing: run \`npx electron-vite build\` (npm run test:e2e does) first`);
    dataDir = mkdtempSync(join(tmpdir(), 'vigie-electron-e2e-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env))
      if (value !== undefined && key !== 'ELECTRON_RUN_AS_NODE') env[key] = value;
    env['VIGIE_USER_DATA_DIR'] = dataDir;
    app = await electron.launch({ executablePath: binary.path, args: [repoRoot], env, timeout: 60_000 });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });

  test('serves the console from app://vigie with the state in the window title', async () => {
    expect(page.url()).toMatch(/^app:\/\/vigie\//);
    const title = (): Promise<string> =>
      app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle() ?? '');
    await expect.poll(title).toMatch(/^Vigie — /);
  });

  test('renders the overview, fed through the bridge by the engine', async () => {
    const answer = await page.evaluate(() =>
      (window as unknown as PageWindow).vigie.invoke('overview.get', {}),
    );
    expect(answer).toMatchObject({ ok: true, value: { zones: expect.any(Array) as unknown } });
    await expect(page.getByTestId('overview')).toBeVisible({ timeout: 30_000 });
  });

  test('gives the page no Node: no require, no process, only window.vigie with invoke and on', async () => {
    const globals = await page.evaluate(() => {
      const w = window as unknown as PageWindow;
      return {
        require: typeof w['require'],
        process: typeof w['process'],
        module: typeof w['module'],
        Buffer: typeof w['Buffer'],
        bridge: Object.keys(w.vigie).sort(),
      };
    });
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      bridge: ['invoke', 'on'],
    });
  });

  test('blocks window.open', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com/', '_blank') !== null);
    expect(opened).toBe(false);
    expect(await app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('enforces the CSP: an injected inline script does not run', async () => {
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__vigieInline = true;';
      document.head.appendChild(script);
      return (window as unknown as PageWindow)['__vigieInline'] === true;
    });
    expect(ran).toBe(false);
  });

  test('refuses an unknown channel in the preload', async () => {
    const outcome = await page.evaluate(() =>
      (window as unknown as PageWindow).vigie.invoke('fs.readFile', { path: '/etc/passwd' }).then(
        () => 'resolved',
        (err: unknown) => String(err),
      ),
    );
    expect(outcome).toMatch(/unknown channel/);
  });
});
