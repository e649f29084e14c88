// Bytes of an uploaded file in, rows with their line numbers out, streaming: a UTF-8 byte-order
// mark is dropped, the delimiter is sniffed from the header line, and fast-csv does the quoting
// (fields holding delimiters, quotes and line breaks; CRLF or LF).
import { Readable, Transform, type TransformCallback, pipeline } from 'node:stream';
import { parse } from 'fast-csv';
import { sniffDelimiter } from './delimiter.js';

export interface CsvRow {
  /** 1-based line where the row starts, the header being line 1; quoted line breaks count. */
  line: number;
  cells: string[];
}

/** The file as a whole cannot be read as CSV; nothing of it is imported past this point. */
export class CsvFileError extends Error {}

/** A row this long means an unclosed quote, not a contact: stop before it fills the memory. */
const MAX_ROW_CHARS = 4 * 1024 * 1024;

export async function* readCsv(source: Readable): AsyncGenerator<CsvRow> {
  const text = new Utf8Text();
  // pipeline passes a failure of the source on to the text, also one that came before this call.
  pipeline(source, text, () => {});
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<string>;

  // Enough text for the header line, to choose the delimiter before parsing starts.
  let head = '';
  while (!/[\r\n]/.test(head) && head.length < MAX_ROW_CHARS) {
    const next = await chunks.next();
    if (next.done) break;
    head += next.value;
  }
  if (head.trim() === '') throw new CsvFileError('the file is empty');

  let charsSinceRow = 0;
  // A failure of the source (or of the checks here) is told as it is, not as a CSV syntax error.
  let feedFailure: Error | undefined;
  const feed = Readable.from(
    (async function* () {
      try {
        for (let chunk: string | undefined = head; chunk !== undefined;) {
          charsSinceRow += chunk.length;
          if (charsSinceRow > MAX_ROW_CHARS) throw new CsvFileError('a row is longer than 4 MiB; is a quote left open?');
          yield chunk;
          const next = await chunks.next();
          chunk = next.done ? undefined : next.value;
        }
      } catch (error) {
        feedFailure = error as Error;
        throw error;
      }
    })(),
    { objectMode: false },
  );
  const parser = parse<string[], string[]>({ headers: false, delimiter: sniffDelimiter(firstLine(head)), ignoreEmpty: false });
  pipeline(feed, parser, () => {});

  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      charsSinceRow = 0;
      const start = line;
      line += 1 + lineBreaks(cells);
      // A blank line is no row (and no error), but it still counts for the lines after it.
      if (cells.length === 0 || (cells.length === 1 && cells[0] === '')) continue;
      yield { line: start, cells };
    }
  } catch (error) {
    if (feedFailure) throw feedFailure;
    // fast-csv's message quotes the text at the fault; its line is not known here (rows may be
    // parsed ahead of the ones read so far).
    throw new CsvFileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
}

function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end === -1 ? text : text.slice(0, end);
}

function lineBreaks(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (cell.indexOf('\n') === -1 && cell.indexOf('\r') === -1) continue;
    count += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return count;
}

/**
 * UTF-8 bytes to text. Invalid sequences become U+FFFD (the rows holding them are rejected one
 * by one); a file that is plainly not UTF-8 text is refused at its first bytes.
 */
class Utf8Text extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  private started = false;

  constructor() {
    super({ decodeStrings: true, readableObjectMode: false, encoding: 'utf8' });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.started) {
      this.started = true;
      const refusal = notText(chunk);
      if (refusal) return done(new CsvFileError(refusal));
    }
    done(null, this.decoder.decode(chunk, { stream: true }));
  }

  override _flush(done: TransformCallback): void {
    done(null, this.decoder.decode());
  }
}

function notText(start: Buffer): string | null {
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) {
    return 'the file is UTF-16 text; save it as CSV UTF-8';
  }
  if (start.subarray(0, 8192).includes(0)) return 'the file is not text (it holds NUL bytes); upload a CSV file';
  return null;
}
