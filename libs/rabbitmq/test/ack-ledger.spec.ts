import { AckLedger } from '../src/ack-ledger.js';

/** A ledger that received deliveries `1..count`, each item its own tag. */
function ledgerOf(count: number): AckLedger<number> {
  const ledger = new AckLedger<number>();
  for (let tag = 1; tag <= count; tag += 1) {
    ledger.received(tag, tag);
  }
  return ledger;
}

function handle(ledger: AckLedger<number>, ...tags: number[]): void {
  for (const tag of tags) {
    expect(ledger.markHandled(tag, tag)).toBe(true);
  }
}

describe('AckLedger', () => {
  describe('take', () => {
    it('acks a run of handled deliveries with one multiple ack', () => {
      const ledger = ledgerOf(5);
      handle(ledger, 3, 1, 2);

      expect(ledger.take()).toEqual({ upTo: 3, single: [], count: 3 });
      expect(ledger.size).toBe(2);
    });

    it('acks the ones after an unfinished delivery one by one', () => {
      const ledger = ledgerOf(6);
      handle(ledger, 1, 2, 4, 6);

      expect(ledger.take()).toEqual({ upTo: 2, single: [4, 6], count: 4 });
      // Only the unfinished ones are left.
      expect(ledger.size).toBe(2);
    });

    it('never covers an unfinished delivery with a multiple ack', () => {
      const ledger = ledgerOf(3);
      handle(ledger, 2, 3);

      expect(ledger.take()).toEqual({
        upTo: undefined,
        single: [2, 3],
        count: 2,
      });
      handle(ledger, 1);
      expect(ledger.take()).toEqual({ upTo: 1, single: [], count: 1 });
      expect(ledger.size).toBe(0);
    });

    it('lets a released delivery be passed by a multiple ack', () => {
      const ledger = ledgerOf(4);
      ledger.forget(2);
      handle(ledger, 1, 3);

      expect(ledger.take()).toEqual({ upTo: 3, single: [], count: 2 });
    });

    it('takes each handled delivery once', () => {
      const ledger = ledgerOf(3);
      handle(ledger, 1, 3);
      ledger.take();
      handle(ledger, 2);

      expect(ledger.take()).toEqual({ upTo: 2, single: [], count: 1 });
      expect(ledger.take()).toEqual({ upTo: undefined, single: [], count: 0 });
    });

    it('keeps the item given when the delivery was handled', () => {
      const ledger = new AckLedger<string>();
      ledger.received(7, 'received');
      ledger.markHandled(7, 'handled');

      expect(ledger.take().upTo).toBe('handled');
    });
  });

  describe('markHandled', () => {
    it('refuses a tag it never received, so it is never left unacked', () => {
      const ledger = ledgerOf(1);

      expect(ledger.markHandled(9, 9)).toBe(false);
      expect(ledger.waiting).toBe(0);
    });

    it('counts a delivery handled twice once', () => {
      const ledger = ledgerOf(1);
      handle(ledger, 1, 1);

      expect(ledger.waiting).toBe(1);
      expect(ledger.take().count).toBe(1);
    });
  });
});
