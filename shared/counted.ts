/** "1 party", "3 parties": a count with its noun in the right number (English). */
export function counted(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
