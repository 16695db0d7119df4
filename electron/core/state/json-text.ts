/**
 * The text of a JSON file LANrage reads, parsed. One leading byte order mark (U+FEFF) is
 * dropped first: Notepad's "UTF-8 with BOM" and PowerShell 5's `Set-Content -Encoding UTF8`
 * write one, JSON.parse refuses it, and a hand-edited config.json was set aside as damaged
 * (every setting reset, the first-run welcome again). Only one, and only at the start: any
 * other stray character is still damage.
 * @throws SyntaxError as JSON.parse does
 */
export function parseJsonText(text: string): unknown {
  return JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
}
