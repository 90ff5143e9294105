import { PostgresClient } from '../src/postgres.client.js';
import { InsertBatcher } from '../src/publish/insert-batcher.js';
import type { QueueRow } from '../src/publish/queue-row.js';

function row(id: string, bodyBytes = 10): QueueRow {
  return {
    messageId: id,
    type: 't',
    key: 'k',
    headers: {},
    body: Buffer.alloc(bodyBytes),
  };
}

/** An insert that records its statements and waits until released. */
function recordingInsert(failWhen: (ids: string[]) => boolean = () => false) {
  const statements: string[][] = [];
  const releases: Array<() => void> = [];
  const insert = async (rows: readonly QueueRow[]): Promise<void> => {
    const ids = rows.map((r) => r.messageId);
    statements.push(ids);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (failWhen(ids)) {
      throw new Error(`refused ${ids.join(',')}`);
    }
  };
  const releaseAll = async (): Promise<void> => {
    while (releases.length > 0) {
      releases.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { statements, insert, releaseAll };
}

const limits = { maxMessages: 100, maxBytes: 1_000_000, concurrency: 1 };

describe('InsertBatcher', () => {
  describe('insert', () => {
    it('writes an idle call at once and groups the calls made meanwhile, in order', async () => {
      const db = recordingInsert();
      const batcher = new InsertBatcher(db.insert, limits);
      const settled: string[] = [];
      const calls = ['a', 'b', 'c', 'd'].map((id) =>
        batcher.insert([row(id)]).then(() => settled.push(id)),
      );
      expect(db.statements).toEqual([['a']]);
      await db.releaseAll();
      await Promise.all(calls);
      expect(db.statements).toEqual([['a'], ['b', 'c', 'd']]);
      expect(settled).toEqual(['a', 'b', 'c', 'd']);
    });

    it('resolves a call only once the statement holding it is done', async () => {
      const db = recordingInsert();
      const batcher = new InsertBatcher(db.insert, limits);
      let resolved = false;
      const call = batcher.insert([row('a')]).then(() => {
        resolved = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(resolved).toBe(false);
      await db.releaseAll();
      await call;
      expect(resolved).toBe(true);
    });

    it('keeps the rows of one call together and respects maxMessages and maxBytes', async () => {
      const db = recordingInsert();
      const batcher = new InsertBatcher(db.insert, {
        ...limits,
        maxMessages: 3,
        maxBytes: 25,
      });
      const calls = [
        batcher.insert([row('first')]),
        batcher.insert([row('a'), row('b')]),
        batcher.insert([row('c')]),
        batcher.insert([row('d'), row('e'), row('f'), row('g')]),
        batcher.insert([row('h', 20)]),
        batcher.insert([row('i', 20)]),
      ];
      await db.releaseAll();
      await Promise.all(calls);
      expect(db.statements).toEqual([
        ['first'],
        ['a', 'b'],
        ['c'],
        ['d', 'e', 'f', 'g'],
        ['h'],
        ['i'],
      ]);
    });

    it('runs up to `concurrency` statements at once', async () => {
      const db = recordingInsert();
      const batcher = new InsertBatcher(db.insert, {
        ...limits,
        concurrency: 2,
      });
      const calls = ['a', 'b', 'c', 'd'].map((id) => batcher.insert([row(id)]));
      expect(db.statements).toEqual([['a'], ['b']]);
      await db.releaseAll();
      await Promise.all(calls);
      expect(db.statements.slice(2)).toEqual([['c', 'd']]);
    });

    it('writes each call of a failed statement again alone, so only the bad one fails', async () => {
      const db = recordingInsert((ids) => ids.includes('bad'));
      const batcher = new InsertBatcher(db.insert, limits);
      const first = batcher.insert([row('first')]);
      const outcomes = ['a', 'bad', 'c'].map((id) =>
        batcher.insert([row(id)]).then(
          () => `${id} ok`,
          (error: Error) => `${id} ${error.message}`,
        ),
      );
      await db.releaseAll();
      await first;
      expect(await Promise.all(outcomes)).toEqual([
        'a ok',
        'bad refused bad',
        'c ok',
      ]);
      expect(db.statements).toEqual([
        ['first'],
        ['a', 'bad', 'c'],
        ['a'],
        ['bad'],
        ['c'],
      ]);
    });
  });

  describe('drained', () => {
    it('resolves once every queued and running statement is done', async () => {
      const db = recordingInsert();
      const batcher = new InsertBatcher(db.insert, limits);
      const calls = ['a', 'b'].map((id) => batcher.insert([row(id)]));
      let drained = false;
      const waiting = batcher.drained().then(() => {
        drained = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(drained).toBe(false);
      await db.releaseAll();
      await Promise.all([...calls, waiting]);
      expect(drained).toBe(true);
      await batcher.drained();
    });
  });
});

describe('PostgresClient', () => {
  it.each(['maxBatchMessages', 'maxBatchBytes', 'maxConcurrentInserts'])(
    'names the bad option %s',
    (option) => {
      expect(
        () =>
          new PostgresClient({
            connection: 'postgres://localhost/db',
            [option]: 0,
          }),
      ).toThrow(new RegExp(`PostgresClient: ${option} must be`));
    },
  );
});
