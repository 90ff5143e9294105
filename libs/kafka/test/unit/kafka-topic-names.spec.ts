import { KafkaTopicNames } from '../../src/topics/kafka-topic-names.js';

describe('KafkaTopicNames', () => {
  const names = new KafkaTopicNames('staging.');

  it('names the main, retry, dead-letter and marker topics', () => {
    const main = names.main('order.created');
    expect(main).toBe('staging.order.created');
    expect(names.retry(main, 'payments', 2)).toBe(
      'staging.order.created.payments.retry.2',
    );
    const dlq = names.deadLetter(main, 'payments');
    expect(dlq).toBe('staging.order.created.payments.dlq');
    expect(names.redriven(dlq)).toBe(
      'staging.order.created.payments.dlq.redriven',
    );
    expect(names.groupId('payments')).toBe('staging.payments');
  });

  it('recognises the dead-letter topics of one group', () => {
    const dlq = 'staging.order.created.payments.dlq';
    expect(names.isDeadLetterTopic(dlq, 'payments')).toBe(true);
    expect(names.isDeadLetterTopic(dlq, 'audit')).toBe(false);
    expect(names.isDeadLetterTopic(`${dlq}.redriven`, 'payments')).toBe(false);
  });

  it('refuses names Kafka would refuse', () => {
    expect(() => names.main('order/created')).toThrow(/\[a-zA-Z0-9._-\]/);
    expect(() => names.groupId('pay ments')).toThrow(TypeError);
    expect(() => names.main('x'.repeat(250))).toThrow(/249/);
    expect(() => new KafkaTopicNames('bad prefix')).toThrow(TypeError);
  });
});
