/**
 * Events and responses carry a revision (DESIGN.md section 2): the console keeps the newest and
 * drops anything older, so a late response or a reordered event cannot roll a view back.
 *
 * Revisions only compare within one connection: an engine that restarted counts from the start
 * again. Each (re)connect opens a new epoch, and the first revision seen in it is accepted
 * whatever it is.
 */
export interface RevisionGuard {
  /** True when `revision` is not older than what is held for `stream` (and records it). */
  accept(stream: string, revision: number): boolean;
  /** Starts a new epoch: the next revision of every stream is accepted. */
  newEpoch(): void;
}

export function createRevisionGuard(): RevisionGuard {
  let epoch = 0;
  const held = new Map<string, { revision: number; epoch: number }>();
  return {
    accept(stream, revision) {
      const current = held.get(stream);
      if (current && current.epoch === epoch && revision < current.revision) return false;
      held.set(stream, { revision, epoch });
      return true;
    },
    newEpoch() {
      epoch += 1;
    },
  };
}
