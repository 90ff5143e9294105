import { PartitionProgress } from '../../src/consumer/partition-progress.js';

describe('PartitionProgress', () => {
  describe('finishedThrough', () => {
    it('is undefined until the first tracked message finishes', () => {
      const progress = new PartitionProgress();
      progress.track('10');
      progress.track('11');
      progress.finish('11');
      expect(progress.finishedThrough()).toBeUndefined();
    });

    it('advances only over a contiguous finished prefix', () => {
      const progress = new PartitionProgress();
      for (const offset of ['4', '5', '7', '8']) {
        progress.track(offset);
      }
      progress.finish('4');
      progress.finish('7');
      expect(progress.finishedThrough()).toBe('4');
      progress.finish('5');
      // 6 is a gap (compaction, a control record): not ours to wait for.
      expect(progress.finishedThrough()).toBe('7');
      expect(progress.complete).toBe(false);
      progress.finish('8');
      expect(progress.finishedThrough()).toBe('8');
      expect(progress.complete).toBe(true);
    });

    it('handles offsets beyond Number.MAX_SAFE_INTEGER', () => {
      const progress = new PartitionProgress();
      progress.track('9007199254740993');
      progress.finish('9007199254740993');
      expect(progress.finishedThrough()).toBe('9007199254740993');
    });
  });

  describe('track', () => {
    it('refuses offsets that do not rise', () => {
      const progress = new PartitionProgress();
      progress.track('3');
      expect(() => progress.track('3')).toThrow(RangeError);
    });
  });
});
