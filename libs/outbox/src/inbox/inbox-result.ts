/** What `InboxService.runOnce` did with one delivery. */
export interface InboxResult<T> {
  /** True when the consumer had already processed this message id. */
  readonly duplicate: boolean;
  /** What `work` returned; absent for a duplicate. */
  readonly result?: T;
}
