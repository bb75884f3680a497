/** Exhaustiveness guard for `switch` over a union: a new variant becomes a compile error here. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
