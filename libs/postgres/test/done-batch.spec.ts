import { Logger } from '@nestjs/common';
import type { ClaimedDelivery } from '../src/consume/claimed-delivery.js';
import { DoneBatch } from '../src/consume/done-batch.js';

function delivery(id: string): ClaimedDelivery {
  return {
    id,
    messageId: `m-${id}`,
    type: 't',
    key: `k-${id}`,
    attempts: 1,
    firstFailedAt: null,
    headers: {},
    body: Buffer.from('{}'),
  };
}

class RecordingLogger extends Logger {
  readonly lines: string[] = [];
  override warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  override error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

describe('DoneBatch', () => {
  describe('flush', () => {
    it('writes every waiting id in one call and forgets them', async () => {
      const batch = new DoneBatch(new RecordingLogger(), 60_000);
      batch.add(delivery('1'));
      batch.add(delivery('2'));
      const writes: string[][] = [];
      await batch.flush(async (ids) => {
        writes.push([...ids]);
        return { done: new Set(ids) };
      });
      expect(writes).toEqual([['1', '2']]);
      expect(batch.ids()).toEqual([]);
    });

    it('calls the write with no ids too, since the claim shares it', async () => {
      const batch = new DoneBatch(new RecordingLogger(), 60_000);
      const result = await batch.flush(async (ids) => ({
        done: new Set(ids),
        claimed: ids.length,
      }));
      expect(result.claimed).toBe(0);
    });

    it('keeps ids added while a write runs for the next one', async () => {
      const batch = new DoneBatch(new RecordingLogger(), 60_000);
      batch.add(delivery('1'));
      await batch.flush(async (ids) => {
        batch.add(delivery('2'));
        return { done: new Set(ids) };
      });
      expect(batch.ids()).toEqual(['2']);
    });

    it('keeps the ids when the write fails, and rethrows', async () => {
      const batch = new DoneBatch(new RecordingLogger(), 60_000);
      batch.add(delivery('1'));
      await expect(
        batch.flush(() => Promise.reject(new Error('connection lost'))),
      ).rejects.toThrow('connection lost');
      expect(batch.ids()).toEqual(['1']);
    });

    it('gives up on ids that could not be written for a whole lease', async () => {
      const logger = new RecordingLogger();
      const batch = new DoneBatch(logger, 0);
      batch.add(delivery('1'));
      await expect(
        batch.flush(() => Promise.reject(new Error('connection lost'))),
      ).rejects.toThrow('connection lost');
      expect(batch.ids()).toEqual([]);
      expect(logger.lines).toEqual([
        expect.stringMatching(
          /^error could not record done for id=m-1 key=k-1: .*redelivered/,
        ),
      ]);
    });

    it('warns about an id whose lease was lost', async () => {
      const logger = new RecordingLogger();
      const batch = new DoneBatch(logger, 60_000);
      batch.add(delivery('1'));
      batch.add(delivery('2'));
      await batch.flush(async () => ({ done: new Set(['2']) }));
      expect(batch.ids()).toEqual([]);
      expect(logger.lines).toEqual([
        expect.stringMatching(/^warn lease of id=m-1 key=k-1 was lost/),
      ]);
    });
  });
});
