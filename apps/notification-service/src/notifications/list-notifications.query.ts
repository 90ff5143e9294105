import { IsOptional, IsUUID } from 'class-validator';

/** Query of `GET /notifications`: `?orderId=<uuid>`. */
export class ListNotificationsQuery {
  @IsOptional()
  @IsUUID()
  orderId?: string;
}
