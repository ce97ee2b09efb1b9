/**
 * `<dataDir>/engine.json`: how command-line seats find the running engine (URL, seat token,
 * operator key). Readable by its owner only, removed when the engine stops.
 */
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export const runtimeInfoSchema = z.object({
  pid: z.number().int(),
  url: z.string(),
  token: z.string(),
  operatorKey: z.string(),
  training: z.boolean(),
  startedAt: z.number(),
  /** With TLS: the server's certificate (PEM), which the command line trusts for this engine. */
  certificate: z.string().optional(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfoSchema>;

/** The data folder: --data-dir, else $VIGIE_DATA_DIR, else $XDG_DATA_HOME/vigie, else ~/.local/share/vigie. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIGIE_DATA_DIR) return env.VIGIE_DATA_DIR;
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'vigie');
}

export const runtimeFile = (dataDir: string): string => join(dataDir, 'engine.json');

export async function writeRuntimeInfo(dataDir: string, info: RuntimeInfo): Promise<void> {
  const file = runtimeFile(dataDir);
  await writeFile(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  await chmod(file, 0o600);
}

export async function readRuntimeInfo(dataDir: string): Promise<RuntimeInfo | null> {
  try {
    const parsed = runtimeInfoSchema.safeParse(JSON.parse(await readFile(runtimeFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: unknown) {
    return err instanceof Error && 'code' in err && err.code === 'EPERM';
  }
}

export async function removeRuntimeInfo(dataDir: string, pid: number): Promise<void> {
  const info = await readRuntimeInfo(dataDir);
  if (info?.pid === pid) await rm(runtimeFile(dataDir), { force: true });
}
