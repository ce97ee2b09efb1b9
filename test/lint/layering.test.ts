/**
 * The one-way layering of DESIGN.md section 1 is enforced by ESLint; these tests prove the rules
 * bite, by linting probe files placed where a forbidden import would be written.
 */
import { rm, writeFile } from 'node:fs/promises';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function lintProbe(path: string, code: string): Promise<string[]> {
  await writeFile(path, code);
  try {
    const [result] = await eslint.lintFiles([path]);
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
  } finally {
    await rm(path, { force: true });
  }
}

describe('layering rules', { timeout: 60_000 }, () => {
  it('reject an electron import under electron/engine/', async () => {
    const messages = await lintProbe(
      'electron/engine/lint-probe-electron.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
    );
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });
  it('reject a node: import under shared/', async () => {
    const messages = await lintProbe(
      'shared/lint-probe-node.ts',
      "import { readFile } from 'node:fs';\nexport const x = readFile;\n",
    );
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });
  it('reject an adapter import from a service', async () => {
    const messages = await lintProbe(
      'electron/engine/services/lint-probe-adapter.ts',
      "import { DuckDbStateStore } from '../adapters/duckdb/duckdb-state-store';\nexport const x = DuckDbStateStore;\n",
    );
    expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
  });
  it('accept a port import from a service', async () => {
    const messages = await lintProbe(
      'electron/engine/services/lint-probe-port.ts',
      "import { systemClock } from '../ports/clock';\nexport const x = systemClock;\n",
    );
    expect(messages.filter((m) => m.startsWith('no-restricted-imports'))).toEqual([]);
  });
});
