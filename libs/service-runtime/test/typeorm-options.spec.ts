import type { Logger as TypeOrmLogger } from 'typeorm';
import { readRuntimeConfig } from '../src/config/runtime-config.js';
import { typeOrmOptions } from '../src/database/typeorm-options.js';
import { resolveService } from '../src/resolve-service.js';
import type { ServiceDefinition } from '../src/service-definition.js';

const definition: ServiceDefinition = {
  name: 'order-service',
  schema: 'orders',
  defaultPort: 3001,
  entities: [],
  migrations: [],
};

function options() {
  const config = readRuntimeConfig({ MQ_NAMESPACE: 'run1' });
  return typeOrmOptions(
    config,
    definition,
    resolveService(config, definition),
    { entities: [], migrations: [] },
  );
}

describe('typeOrmOptions', () => {
  it('uses the schema of the namespace', () => {
    expect(options()).toMatchObject({ schema: 'run1_orders' });
  });

  // TypeORM's own loggers print a failed query's parameters: the
  // customer's e-mail and name landed in the services' logs.
  it('logs a failed query without its parameters', () => {
    const logger = options().logger as TypeOrmLogger | undefined;
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean =>
      written.push(String(chunk)) > 0;
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation(
        (...args: unknown[]) => void written.push(args.join(' ')),
      );
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation(
        (...args: unknown[]) => void written.push(args.join(' ')),
      );
    try {
      expect(typeof logger?.logQueryError).toBe('function');
      logger?.logQueryError(
        new Error('null value in column "customer_id"'),
        'INSERT INTO "orders" VALUES ($1, $2)',
        ['ada@example.com', 'Ada Lovelace'],
      );
    } finally {
      out.mockRestore();
      err.mockRestore();
      log.mockRestore();
      error.mockRestore();
    }

    const output = written.join('');
    expect(output).toContain('null value in column "customer_id"');
    expect(output).not.toContain('ada@example.com');
    expect(output).not.toContain('Ada Lovelace');
  });
});
