// A page of the export read before its turn to be sent: it keeps what arrives up to a bound, then
// makes the reader wait (and so the database, through the connection's backpressure) until its
// turn comes; from then on chunks go straight to the client. Memory per page is the bound, however
// wide the rows. A page whose turn never comes (the export failed) drops what arrives, so that its
// read runs to the end and its connection comes back clean.

type Write = (chunk: Buffer) => Promise<void> | void;

export class ReadAhead {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private send: Write | null = null;
  private discarding = false;
  private wakeReader: (() => void) | null = null;

  constructor(private readonly maxBytes: number) {}

  /** Takes a chunk from the page's read; resolves when the reader may read the next one. */
  push = async (chunk: Buffer): Promise<void> => {
    if (this.discarding) return;
    if (this.send) return this.send(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= this.maxBytes) await new Promise<void>((resolve) => (this.wakeReader = resolve));
  };

  /** The page's turn: sends what is held, then lets the rest through as it arrives. */
  async sendTo(write: Write): Promise<void> {
    // Chunks pushed while this awaits join `held` and are sent by this same loop.
    for (let index = 0; index < this.held.length; index++) await write(this.held[index]!);
    this.held = [];
    this.send = write;
    this.wake();
  }

  /** The export ended without this page: drop what is held and whatever still arrives. */
  discard(): void {
    this.discarding = true;
    this.held = [];
    this.wake();
  }

  private wake(): void {
    this.wakeReader?.();
    this.wakeReader = null;
  }
}
