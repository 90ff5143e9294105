/** What the consumer knows about a topic it reads. */
export interface TopicRoute {
  /** The event type the topic carries. */
  readonly pattern: string;
  /** The event type's own topic: the original destination of retries. */
  readonly mainTopic: string;
  /** 0 for the main topic, n for the retry topic of delivery n + 1. */
  readonly tier: number;
}
