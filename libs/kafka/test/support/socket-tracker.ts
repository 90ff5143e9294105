import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

/**
 * A kafkajs socket factory that remembers its open sockets, so a test can
 * cut them abruptly. Kafka has no server-side "kill this client", so this
 * is how the kit drops a server's connections: from the client side, as a
 * network failure would.
 */
export class SocketTracker {
  private readonly sockets = new Set<net.Socket>();

  readonly factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    const socket = ssl
      ? tls.connect({ host, port, ...ssl }, onConnect)
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  };

  get open(): number {
    return this.sockets.size;
  }

  /**
   * Destroys every open socket with an ECONNRESET error, as a reset from
   * the broker would. (A bare destroy() emits only 'close', which kafkajs
   * does not watch: its requests would hang until requestTimeout.)
   */
  destroyAll(): number {
    const count = this.sockets.size;
    for (const socket of this.sockets) {
      const reset = Object.assign(new Error('connection reset by test'), {
        code: 'ECONNRESET',
      });
      socket.destroy(reset);
    }
    return count;
  }
}
