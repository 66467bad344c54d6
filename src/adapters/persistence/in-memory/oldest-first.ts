/** Sort order of "oldest first" lists: created_at, then id compared bytewise (the columns' "C" collation). */
export function oldestFirst(a: { createdAt: Date; id: string }, b: { createdAt: Date; id: string }): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
