// The delimiter is read from the header line: the one of `,` `;` tab that occurs most often
// outside quotes (Excel writes `;` where the decimal comma is used; "text" exports use tabs).
export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export function sniffDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const character of headerLine) {
    if (character === '"') quoted = !quoted;
    else if (!quoted) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const delimiter of DELIMITERS) {
    if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) best = delimiter;
  }
  return best;
}
