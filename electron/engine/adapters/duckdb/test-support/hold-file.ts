/**
 * Holds a DuckDB file from another process (DuckDB locks a file per process: a second open in the
 * same process does not conflict), for the stores' LOCKED tests. Resolves once the file is held;
 * the returned function lets it go and waits for the process to end.
 */
import { spawn } from 'node:child_process';

export async function holdDuckDbFile(file: string): Promise<() => Promise<void>> {
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `const { DuckDBInstance } = require('@duckdb/node-api');
       DuckDBInstance.create(process.argv[1]).then(() => { process.stdout.write('ready\\n'); process.stdin.resume(); });
       process.stdin.on('end', () => process.exit(0));`,
      file,
    ],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const release = async (): Promise<void> => {
    holder.stdin.end();
    if (holder.exitCode === null && holder.signalCode === null)
      await new Promise((resolve) => holder.once('exit', resolve));
  };
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
      holder.once('exit', (code) => reject(new Error(`holder exited with ${String(code)}`)));
    });
  } catch (err: unknown) {
    await release();
    throw err;
  }
  return release;
}
