import { validationError } from '../errors.js';

/** A decoded JSON request body. */
export type JsonObject = Record<string, unknown>;

/** Reads an optional string field, checking its length as the API model does (ValidationException). */
export function optionalString(input: JsonObject, name: string, minLength = 1, maxLength = Infinity): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`Value at '${name}' must be a string.`);
  if (value.length < minLength || value.length > maxLength) {
    throw validationError(`1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length between ${minLength} and ${maxLength}.`);
  }
  return value;
}

/** Reads a required string field. */
export function requiredString(input: JsonObject, name: string, minLength = 1, maxLength = Infinity): string {
  const value = optionalString(input, name, minLength, maxLength);
  if (value === undefined) throw validationError(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null.`);
  return value;
}

/** Reads an optional integer field in [min, max]. */
export function optionalInteger(input: JsonObject, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validationError(`1 validation error detected: Value '${String(value)}' at '${name}' failed to satisfy constraint: Member must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** Reads an optional timestamp (epoch seconds, as the SDK sends them) and returns epoch milliseconds. */
export function optionalTimestampMs(input: JsonObject, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw validationError(`Value at '${name}' must be a timestamp in epoch seconds.`);
  return seconds * 1000;
}

/** Reads an optional nested object. */
export function optionalObject(input: JsonObject, name: string): JsonObject | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError(`Value at '${name}' must be an object.`);
  return value as JsonObject;
}
