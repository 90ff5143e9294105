import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListNotificationsQuery } from './list-notifications.query.js';
import {
  NOTIFICATION_KINDS,
  type NotificationKind,
} from './notification-kind.js';
import { Notification } from './notification.entity.js';
import {
  toNotificationView,
  type NotificationView,
} from './notification.view.js';

/** Newest notifications returned by `GET /notifications` without a filter. */
const LIST_LIMIT = 100;

/** The answer of `GET /notifications/count`. */
export interface NotificationCount {
  readonly count: number;
  /** Per kind, zero included. */
  readonly byKind: Readonly<Record<NotificationKind, number>>;
}

@Controller('notifications')
export class NotificationsController {
  constructor(private readonly dataSource: DataSource) {}

  /** The notification of one order (a list of 0 or 1), or the newest 100. */
  @Get()
  async list(
    @Query() query: ListNotificationsQuery,
  ): Promise<{ notifications: NotificationView[] }> {
    const rows = await this.dataSource.manager.find(Notification, {
      where: query.orderId ? { orderId: query.orderId } : {},
      order: { createdAt: 'DESC' },
      take: LIST_LIMIT,
    });
    return { notifications: rows.map(toNotificationView) };
  }

  @Get('count')
  async count(): Promise<NotificationCount> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(Notification, 'n')
      .select('"n"."kind"', 'kind')
      .addSelect('COUNT(*)::int', 'count')
      .groupBy('"n"."kind"')
      .getRawMany<{ kind: NotificationKind; count: number }>();
    const byKind = Object.fromEntries(
      NOTIFICATION_KINDS.map((kind) => [kind, 0]),
    ) as Record<NotificationKind, number>;
    for (const row of rows) {
      byKind[row.kind] = row.count;
    }
    const count = Object.values(byKind).reduce((a, b) => a + b, 0);
    return { count, byKind };
  }
}
