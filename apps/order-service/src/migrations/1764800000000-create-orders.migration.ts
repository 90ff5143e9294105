import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tableName } from '@mq/service-runtime';

/** The orders table, matching the Order entity. */
export class CreateOrders1764800000000 implements MigrationInterface {
  readonly name = 'CreateOrders1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const orders = tableName(queryRunner, 'orders');
    await queryRunner.query(`
      CREATE TABLE ${orders} (
        "id" uuid NOT NULL,
        "status" text NOT NULL,
        "customer_id" text NOT NULL,
        "customer_email" text NOT NULL,
        "customer_name" text NOT NULL,
        "items" jsonb NOT NULL,
        "currency" character(3) NOT NULL,
        "total" bigint NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "finalized_at" TIMESTAMP WITH TIME ZONE,
        "payment_id" uuid,
        "cancel_reason" text,
        CONSTRAINT "orders_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "orders_status_check"
          CHECK ("status" IN ('PENDING', 'CONFIRMED', 'CANCELLED')),
        CONSTRAINT "orders_total_check" CHECK ("total" >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX "orders_status_idx" ON ${orders} ("status")`,
    );
    await queryRunner.query(
      `CREATE INDEX "orders_created_at_idx" ON ${orders} ("created_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${tableName(queryRunner, 'orders')}`);
  }
}
