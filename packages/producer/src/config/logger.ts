/** Where the producer writes what an operator should know. Structured fields never hold payloads or credentials. */
export interface Logger {
  /** Detail for troubleshooting. Optional: a logger without it receives none. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  /** Notable but expected events. Optional: a logger without it receives none. */
  info?(message: string, fields?: Record<string, unknown>): void;
  /** Something went wrong and the producer recovered or degraded, e.g. a DescribeStreamSummary that kept failing. */
  warn(message: string, fields?: Record<string, unknown>): void;
  /** A failure the producer contained but an operator should see, e.g. a callback of the user's that threw. */
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The default logger: warnings and errors to the console, nothing else. */
export const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(`[tskpl] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[tskpl] ${message}`, fields ?? ''),
};

/** A logger that drops everything. */
export const silentLogger: Logger = { warn() {}, error() {} };
