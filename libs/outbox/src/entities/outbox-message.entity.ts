import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';

/**
 * One message waiting for (or done with) the relay. The table declares no
 * schema: it lands in the schema of the DataSource that registers it, so
 * every service keeps its own outbox.
 *
 * Column types are spelled out because the build does not rely on emitted
 * decorator metadata.
 */
@Entity('outbox_messages')
@Unique('outbox_messages_message_id_key', ['messageId'])
@Index('outbox_messages_unpublished_idx', ['id'], {
  where: '"published_at" IS NULL',
})
@Index('outbox_messages_published_at_idx', ['publishedAt'], {
  where: '"published_at" IS NOT NULL',
})
export class OutboxMessage {
  /** Relay order. A bigint, so pg hands it over as a string. */
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'outbox_messages_pkey',
  })
  id: string;

  /** The envelope id (UUID v7). */
  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  key: string;

  /** Envelope headers (correlation, causation, traceparent, content type). */
  @Column({ type: 'jsonb' })
  headers: Record<string, string>;

  /** The payload as JsonCodec text, so Dates and Buffers survive. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set once the publisher confirmed the row; null while pending. */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** Publish tries, the successful one included. */
  @Column({ name: 'publish_attempts', type: 'integer', default: 0 })
  publishAttempts: number;

  /** Message of the last failed try; kept after a later success. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;
}
