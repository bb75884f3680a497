/** A point with its `immediate` followers: one blow, then the followers at once, in a row. */
export interface StrikeGroup<P> {
  leader: P;
  followers: P[];
}

/** Splits points into groups: each non-immediate point leads the immediate points after it. */
export function groupStrikes<P extends { immediate?: boolean }>(points: readonly P[]): StrikeGroup<P>[] {
  const groups: StrikeGroup<P>[] = [];
  for (const point of points) {
    const last = groups.at(-1);
    if (point.immediate && last !== undefined) last.followers.push(point);
    else groups.push({ leader: point, followers: [] });
  }
  return groups;
}

/**
 * Which pending strike an event sets off. A chain in progress (the followers of a group that just
 * struck) goes first and only its head may strike; otherwise the first pending group, in order,
 * whose leader matches. Any pending group may strike, so a point whose moment passed while the
 * app was restarting waits for the next run that reaches it instead of holding up the rest.
 */
export function pickStrike<P, E>(
  state: { chain: P[]; pending: StrikeGroup<P>[] },
  event: E,
  matches: (point: P, event: E) => boolean,
): P | undefined {
  const head = state.chain[0];
  if (head !== undefined) {
    if (!matches(head, event)) return undefined;
    state.chain.shift();
    return head;
  }
  const index = state.pending.findIndex((group) => matches(group.leader, event));
  if (index < 0) return undefined;
  const [group] = state.pending.splice(index, 1);
  if (group === undefined) return undefined;
  state.chain.push(...group.followers);
  return group.leader;
}
