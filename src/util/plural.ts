/** `1 migration`, `2 migrations`; `plural` for words that do not just take an s (`1 entity`, `2 entities`). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
