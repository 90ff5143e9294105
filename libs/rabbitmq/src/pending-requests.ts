import type { WritePacket } from '@nestjs/microservices';
import { RequestFailedError } from './errors/request-failed.error.js';

interface PendingRequest {
  readonly pattern: string;
  readonly callback: (packet: WritePacket) => void;
  readonly timer: NodeJS.Timeout;
  /** Confirmed by the broker, so its reply can only come on this channel. */
  sent: boolean;
}

/** Requests waiting for a reply, by correlation id; each settles once. */
export class PendingRequests {
  private readonly requests = new Map<string, PendingRequest>();

  add(
    id: string,
    pattern: string,
    callback: (packet: WritePacket) => void,
    timeoutMs: number,
  ): void {
    const timer = setTimeout(
      () =>
        this.fail(
          id,
          new RequestFailedError(
            pattern,
            'timeout',
            `no reply within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    this.requests.set(id, { pattern, callback, timer, sent: false });
  }

  patternOf(id: string): string | undefined {
    return this.requests.get(id)?.pattern;
  }

  markSent(id: string): void {
    const request = this.requests.get(id);
    if (request) {
      request.sent = true;
    }
  }

  settle(id: string, packet: WritePacket): boolean {
    const request = this.requests.get(id);
    if (!request) {
      return false;
    }
    this.remove(id);
    request.callback({ ...packet, isDisposed: true });
    return true;
  }

  fail(id: string, error: unknown): void {
    this.settle(id, { err: error });
  }

  /**
   * Fails the requests already on the wire: direct reply-to answers on the
   * channel that sent the request, and that channel is gone. Requests still
   * queued by amqp-connection-manager go out after the reconnect.
   */
  failSent(detail: string): void {
    for (const [id, request] of this.requests) {
      if (request.sent) {
        this.fail(
          id,
          new RequestFailedError(request.pattern, 'connection-lost', detail),
        );
      }
    }
  }

  failAll(detail: string): void {
    for (const [id, request] of this.requests) {
      this.fail(id, new RequestFailedError(request.pattern, 'closed', detail));
    }
  }

  remove(id: string): void {
    const request = this.requests.get(id);
    if (request) {
      clearTimeout(request.timer);
      this.requests.delete(id);
    }
  }
}
