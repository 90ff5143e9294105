import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { errorMessage } from '../error-message.js';

type Argument = string | Buffer | number;

/**
 * A Lua script run by EVALSHA, falling back to EVAL when Redis does not
 * know it (first use, or a restarted Redis that lost its script cache).
 * Redis runs a script atomically: nothing else executes in between.
 */
export class LuaScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    redis: Redis,
    keys: readonly string[],
    args: readonly Argument[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!errorMessage(error).startsWith('NOSCRIPT')) {
        throw error;
      }
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
