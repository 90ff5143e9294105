import type { KitServerOptions } from '../conformance/transport-test-kit.js';

/** Environment variable that carries the harness options as JSON. */
export const HARNESS_OPTIONS_ENV = 'MQ_CONSUMER_HARNESS_OPTIONS';

/** Stdout lines of the harness start with this; Nest's logs do not. */
export const HARNESS_LINE_PREFIX = '@mq-harness ';

/** What the child process is told to run. Plain JSON throughout. */
export interface ConsumerHarnessOptions {
  /** Absolute path or import specifier of the kit module. */
  readonly kitModule: string;
  /** The namespace of the parent's kit, so both see the same messages. */
  readonly namespace: string;
  /** The `@EventPattern` the child's handler binds. */
  readonly pattern: string;
  readonly server: KitServerOptions;
  /** Messages with this key make the handler hang until the process dies. */
  readonly hangOnKey?: string;
}

/** One line the harness prints, as an object. */
export type HarnessEvent =
  | { readonly kind: 'ready'; readonly pid: number }
  | {
      readonly kind: 'started';
      readonly id: string;
      readonly key: string;
      readonly attempt: number;
    }
  | { readonly kind: 'handled'; readonly id: string };

export function formatHarnessEvent(event: HarnessEvent): string {
  return `${HARNESS_LINE_PREFIX}${JSON.stringify(event)}\n`;
}

/** The event on a harness line; undefined for any other output. */
export function parseHarnessLine(line: string): HarnessEvent | undefined {
  if (!line.startsWith(HARNESS_LINE_PREFIX)) {
    return undefined;
  }
  return JSON.parse(line.slice(HARNESS_LINE_PREFIX.length)) as HarnessEvent;
}
