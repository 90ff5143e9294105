import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import type { DeadLetter, DeadLetterMetadata } from '@mq/core';
import {
  MESSAGING_TRANSPORT,
  type MessagingTransport,
} from '../transport/messaging-transport.js';
import { DeadLettersQuery } from './dead-letters.query.js';

/** A dead letter in a list: what failed and why, without the body. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly messageId?: string;
  readonly type?: string;
  readonly key?: string;
  readonly metadata: DeadLetterMetadata;
}

/**
 * This service's dead letters on whichever transport it runs: list, show
 * one with its body, redrive one or all. An operator's API; it has no
 * authentication, so keep it off public networks.
 */
@Controller('dead-letters')
export class DeadLettersController {
  constructor(
    @Inject(MESSAGING_TRANSPORT) private readonly transport: MessagingTransport,
  ) {}

  /** `{ count, deadLetters }`: how many there are, and the first `limit`. */
  @Get()
  async list(
    @Query() query: DeadLettersQuery,
  ): Promise<{ count: number; deadLetters: DeadLetterSummary[] }> {
    const store = this.transport.deadLetters;
    const [count, letters] = await Promise.all([
      store.count(),
      store.list({ limit: query.limit ?? 50 }),
    ]);
    return { count, deadLetters: letters.map(summaryOf) };
  }

  /** One dead letter with its headers and body as received; 404 if gone. */
  @Get(':id')
  async show(@Param('id') id: string): Promise<DeadLetter> {
    const letter = await this.transport.deadLetters.show(id);
    if (!letter) {
      throw new NotFoundException(`no dead letter ${id}`);
    }
    return letter;
  }

  /** Sends every dead letter back to its destination for this service. */
  @Post('redrive')
  @HttpCode(HttpStatus.OK)
  async redriveAll(): Promise<{ redriven: number }> {
    return { redriven: await this.transport.deadLetters.redriveAll() };
  }

  /** Sends one dead letter back, with a fresh attempt count; 404 if gone. */
  @Post(':id/redrive')
  @HttpCode(HttpStatus.OK)
  async redrive(@Param('id') id: string): Promise<{ redriven: true }> {
    if (!(await this.transport.deadLetters.redrive(id))) {
      throw new NotFoundException(`no dead letter ${id}`);
    }
    return { redriven: true };
  }
}

function summaryOf(letter: DeadLetter): DeadLetterSummary {
  return {
    id: letter.id,
    messageId: letter.messageId,
    type: letter.type,
    key: letter.key,
    metadata: letter.metadata,
  };
}
