// POST /contacts/import whose file arrives when the test says: the test writes CSV text, waits
// for the service to act on it, then writes more or ends. For imports that run while something
// else happens (a stop, a revocation, another import).
import { request } from 'node:http';

export interface SlowUpload {
  write(text: string): Promise<void>;
  end(): Promise<void>;
  /** The answer, or the error when the connection died first. */
  answer: Promise<{ status: number; headers: Record<string, unknown>; body: any } | Error>;
}

export function slowUpload(baseUrl: string, apiKey: string, path = '/contacts/import'): SlowUpload {
  const boundary = 'slowuploadboundary';
  const url = new URL(path, baseUrl);
  const req = request(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'transfer-encoding': 'chunked',
    },
  });
  const answer = new Promise<{ status: number; headers: Record<string, unknown>; body: any } | Error>((resolve) => {
    req.on('error', resolve);
    req.on('response', (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('error', resolve);
      response.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // kept as text
        }
        resolve({ status: response.statusCode!, headers: response.headers, body });
      });
    });
  });
  const write = (text: string) => new Promise<void>((resolve) => (req.write(text) ? resolve() : req.once('drain', () => resolve())));
  req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  return {
    write,
    end: () => new Promise<void>((resolve) => req.end(`\r\n--${boundary}--\r\n`, () => resolve())),
    answer,
  };
}

export const csvRows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `person${from + i}@example.com,Person,${from + i}\n`).join('');
