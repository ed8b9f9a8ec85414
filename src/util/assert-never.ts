/** Makes a switch over a discriminated union exhaustive: a new variant without a case fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
