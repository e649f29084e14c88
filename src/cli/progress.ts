// Upload progress on stderr: a bar redrawn in place on a terminal, a plain line every few seconds
// otherwise (logs, CI). Rows are counted as line breaks sent, so quoted line breaks count too:
// the rate is close, not exact.
const PLAIN_EVERY_MS = 5000;
const REDRAW_EVERY_MS = 100;

export class Progress {
  private bytes = 0;
  private rows = 0;
  private started = Date.now();
  private shown = 0;
  private tty = process.stderr.isTTY === true;

  constructor(private total: number) {}

  sent(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) this.rows++;
    const now = Date.now();
    if (now - this.shown >= (this.tty ? REDRAW_EVERY_MS : PLAIN_EVERY_MS)) {
      this.shown = now;
      this.show();
    }
  }

  done(): void {
    this.show();
    if (this.tty) process.stderr.write('\n');
  }

  private show(): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const share = this.total ? this.bytes / this.total : 1;
    const rate = `${Math.round(this.rows / seconds).toLocaleString('en')} rows/s`;
    const amount = `${mib(this.bytes)} of ${mib(this.total)}`;
    if (this.tty) {
      const width = 30;
      const filled = Math.round(share * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${amount}  ${rate}  `,
      );
    } else {
      process.stderr.write(`sent ${amount} (${(share * 100).toFixed(0)}%), ${rate}\n`);
    }
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
