/** Entry point of the `vigie` command (built to out/main/cli.js; bin/vigie.js runs it). */
import { runCli } from './run-cli';

const stopSignal = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  env: process.env,
  stopSignal,
}).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`vigie: unexpected failure: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
