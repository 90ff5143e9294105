import { PartitionProgress } from '../../src/consumer/partition-progress.js';

/** Tracks the offsets in order; returns offset -> position. */
function tracked(progress: PartitionProgress, offsets: string[]) {
  return new Map(offsets.map((offset) => [offset, progress.track(offset)]));
}

describe('PartitionProgress', () => {
  describe('finishedThrough', () => {
    it('is undefined until the first tracked message finishes', () => {
      const progress = new PartitionProgress();
      const at = tracked(progress, ['10', '11']);
      progress.finish(at.get('11') as number);
      expect(progress.finishedThrough()).toBeUndefined();
    });

    it('advances only over a contiguous finished prefix', () => {
      const progress = new PartitionProgress();
      const at = tracked(progress, ['4', '5', '7', '8']);
      const finish = (offset: string) =>
        progress.finish(at.get(offset) as number);
      finish('4');
      finish('7');
      expect(progress.finishedThrough()).toBe('4');
      finish('5');
      // 6 is a gap (compaction, a control record): not ours to wait for.
      expect(progress.finishedThrough()).toBe('7');
      expect(progress.complete).toBe(false);
      finish('8');
      expect(progress.finishedThrough()).toBe('8');
      expect(progress.complete).toBe(true);
    });

    it('handles offsets beyond Number.MAX_SAFE_INTEGER', () => {
      const progress = new PartitionProgress();
      const at = tracked(progress, ['9007199254740993', '9007199254740994']);
      progress.finish(at.get('9007199254740993') as number);
      expect(progress.finishedThrough()).toBe('9007199254740993');
    });
  });

  describe('track', () => {
    it('returns consecutive positions', () => {
      const progress = new PartitionProgress();
      expect([progress.track('7'), progress.track('9')]).toEqual([0, 1]);
      expect(progress.size).toBe(2);
    });

    it('refuses offsets that do not rise', () => {
      const progress = new PartitionProgress();
      progress.track('3');
      expect(() => progress.track('3')).toThrow(RangeError);
      expect(() => progress.track('2')).toThrow(RangeError);
    });

    it('compares offsets as numbers, not as text', () => {
      const progress = new PartitionProgress();
      progress.track('9');
      expect(() => progress.track('10')).not.toThrow();
      expect(() => progress.track('9')).toThrow(RangeError);
    });
  });
});
