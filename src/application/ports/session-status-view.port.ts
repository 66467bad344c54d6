/**
 * Answers "is this session still live?" on every authenticated request. Adapters
 * cache the answer and drop it when a `session` invalidation arrives.
 */
export interface SessionStatusView {
  isLive(sessionId: string, now: Date): Promise<boolean>;
}
