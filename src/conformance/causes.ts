import type { Change } from '../change/change';

/**
 * The group a failure is counted under: its message with the names, numbers and paths of one case taken out, so
 * that the same defect met in fifty scenarios is one line of the table.
 */
export function causeOfMessage(message: string): string {
  const firstLine = message.split('\n').find((line) => line.trim() !== '') ?? message;
  return firstLine
    .replace(/\b[a-z]+:\/\/\S+/g, '<url>')
    .replace(/\s*\([^()]*\)/g, '')
    .replace(/(?<=^|[\s(])[^\s:'"`()]*\/[^\s:'"`()]+/g, '<path>')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/\b\d+\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** The group of a change our diff reported: its kind, and for a column the aspects that differ. */
export function causeOfChange(change: Change): string {
  const aspects = 'changed' in change && Array.isArray(change.changed) ? ` (${[...change.changed].sort().join(', ')})` : '';
  return `${change.kind}${aspects}`;
}
