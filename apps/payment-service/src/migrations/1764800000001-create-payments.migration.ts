import type { MigrationInterface, QueryRunner } from 'typeorm';
import { tableName } from '@mq/service-runtime';

/** The payments table, matching the Payment entity. */
export class CreatePayments1764800000001 implements MigrationInterface {
  readonly name = 'CreatePayments1764800000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${tableName(queryRunner, 'payments')} (
        "id" uuid NOT NULL,
        "order_id" uuid NOT NULL,
        "status" text NOT NULL,
        "amount" bigint NOT NULL,
        "currency" character(3) NOT NULL,
        "decline_reason" text,
        "attempts" integer NOT NULL,
        "message_id" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "payments_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "payments_order_id_key" UNIQUE ("order_id"),
        CONSTRAINT "payments_status_check"
          CHECK ("status" IN ('SUCCEEDED', 'DECLINED'))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${tableName(queryRunner, 'payments')}`);
  }
}
