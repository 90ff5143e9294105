import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tableName } from '@mq/service-runtime';

/** The notifications table, matching the Notification entity. */
export class CreateNotifications1764800000002 implements MigrationInterface {
  readonly name = 'CreateNotifications1764800000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${tableName(queryRunner, 'notifications')} (
        "id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "channel" text NOT NULL,
        "recipient" text NOT NULL,
        "subject" text NOT NULL,
        "body" text NOT NULL,
        "message_id" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "notifications_order_id_key" UNIQUE ("order_id"),
        CONSTRAINT "notifications_kind_check"
          CHECK ("kind" IN ('order.confirmed', 'order.cancelled'))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TABLE ${tableName(queryRunner, 'notifications')}`,
    );
  }
}
