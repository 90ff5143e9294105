import { lastValueFrom, type Observable } from 'rxjs';
import type { BenchPublisher } from '../transports/adapter.types.js';
import type { BenchPayload } from '../model/workload.types.js';

/** The part of a Nest ClientProxy the benchmark uses. */
export interface EmittingClient {
  connect(): Promise<unknown>;
  close(): unknown;
  emit(pattern: string, data: unknown): Observable<unknown>;
}

/**
 * Publishes through a Nest client proxy with `emit`, as a service does,
 * and waits for the observable to complete: that is when the proxy says
 * the broker took the message.
 */
export class ClientProxyPublisher implements BenchPublisher {
  constructor(
    private readonly client: EmittingClient,
    private readonly pattern: string,
    /** Wraps the payload as the proxy expects (key, Kafka record, ...). */
    private readonly wrap: (key: string, payload: BenchPayload) => unknown,
  ) {}

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async publish(key: string, payload: BenchPayload): Promise<void> {
    await lastValueFrom(
      this.client.emit(this.pattern, this.wrap(key, payload)),
      { defaultValue: undefined },
    );
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
