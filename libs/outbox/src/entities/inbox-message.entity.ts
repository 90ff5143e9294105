import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * "Consumer X processed message M", committed together with X's own work.
 * Like OutboxMessage it declares no schema.
 */
@Entity('inbox_messages')
@Index('inbox_messages_processed_at_idx', ['processedAt'])
export class InboxMessage {
  /** Usually the consumer group. */
  @PrimaryColumn({
    type: 'text',
    primaryKeyConstraintName: 'inbox_messages_pkey',
  })
  consumer: string;

  /** Text rather than uuid: producers outside this project pick ids too. */
  @PrimaryColumn({
    name: 'message_id',
    type: 'text',
    primaryKeyConstraintName: 'inbox_messages_pkey',
  })
  messageId: string;

  @Column({
    name: 'processed_at',
    type: 'timestamptz',
    default: () => 'now()',
  })
  processedAt: Date;
}
