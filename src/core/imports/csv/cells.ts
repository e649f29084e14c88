// Formula-safe cells. A spreadsheet runs a cell that begins with =, +, - or @ as a formula, so the
// export prefixes such a cell with an apostrophe (the usual defence, OWASP "CSV injection"; the
// export writes it in SQL, safe() in core/exports/repository/contacts-csv.ts), and the import takes that
// apostrophe off again. To make the pair exact, a value that itself begins with an apostrophe
// followed by one of those characters or another apostrophe is prefixed too, so every value reads
// back exactly, and a hand-made cell like "'note" imports as it is.

const TRIGGERS = new Set(['=', '+', '-', '@']);

function looksEscaped(text: string): boolean {
  return text[0] === "'" && text.length > 1 && (text[1] === "'" || TRIGGERS.has(text[1]!));
}

export function unescapeCell(cell: string): string {
  return looksEscaped(cell) ? cell.slice(1) : cell;
}
