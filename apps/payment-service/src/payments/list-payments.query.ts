import { IsOptional, IsUUID } from 'class-validator';

/** Query of `GET /payments`: `?orderId=<uuid>`. */
export class ListPaymentsQuery {
  @IsOptional()
  @IsUUID()
  orderId?: string;
}
