/** Where the producer writes what an operator should know. Structured fields never hold payloads or credentials. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The default logger: warnings and errors to the console, nothing else. */
export const consoleLogger: Logger = {
  warn: (message, fields) => console.warn(`[tskpl] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[tskpl] ${message}`, fields ?? ''),
};

/** A logger that drops everything. */
export const silentLogger: Logger = { warn() {}, error() {} };
