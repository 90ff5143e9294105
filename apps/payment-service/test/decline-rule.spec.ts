import {
  DECLINE_ABOVE_TOTAL,
  declineReason,
  willBeDeclined,
} from '../src/gateway/decline-rule.js';

const order = (email: string, total: number) => ({
  total,
  customer: { email },
});

describe('declineReason', () => {
  it('approves an ordinary order', () => {
    expect(declineReason(order('ada@example.com', 2800))).toBeNull();
  });

  it('declines customers whose email starts with "decline"', () => {
    expect(declineReason(order('decline+7@example.com', 100))).toBe(
      'card declined',
    );
    expect(declineReason(order('Decline@example.com', 100))).toBe(
      'card declined',
    );
  });

  it('declines totals above the limit, and only above it', () => {
    expect(declineReason(order('a@b.c', DECLINE_ABOVE_TOTAL))).toBeNull();
    expect(declineReason(order('a@b.c', DECLINE_ABOVE_TOTAL + 1))).toMatch(
      /^amount above limit/,
    );
  });
});

describe('willBeDeclined', () => {
  it('agrees with declineReason', () => {
    expect(willBeDeclined(order('decline@x.io', 1))).toBe(true);
    expect(willBeDeclined(order('ok@x.io', 1))).toBe(false);
  });
});
