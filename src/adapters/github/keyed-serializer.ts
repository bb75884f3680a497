/** Runs tasks that share a key one after another, in this process; tasks of other keys run freely. */
export interface KeyedSerializer {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/**
 * A `KeyedSerializer` keeping one promise chain per key while tasks of that key are pending (the
 * map empties as chains finish). A task's failure goes to its caller only; the next task still runs.
 */
export function createKeyedSerializer(): KeyedSerializer {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
