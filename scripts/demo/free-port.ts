import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on 127.0.0.1. Another process can
 * still take it before the service binds it; the supervisor then reports
 * the service's exit, so the race shows up as a clear error, not a hang.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (typeof address === 'object' && address !== null) {
          resolve(address.port);
        } else {
          reject(new Error('could not find a free port'));
        }
      });
    });
  });
}
