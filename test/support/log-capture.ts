import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/** A real logger (the app's redaction included) whose every line is kept in memory. */
export interface LogCapture {
  readonly logger: Logger;
  /** One JSON line per entry, in the order written. */
  readonly lines: string[];
  /** Every line, newline-separated: what a log file would hold. */
  text(): string;
  /** The lines that contain `fragment`. */
  matching(fragment: string): string[];
}

export function captureLogs(options: { level?: string } = {}): LogCapture {
  const lines: string[] = [];
  const logger = createLogger({
    level: options.level ?? 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  return {
    logger,
    lines,
    text: () => lines.join('\n'),
    matching: (fragment) => lines.filter((line) => line.includes(fragment)),
  };
}
