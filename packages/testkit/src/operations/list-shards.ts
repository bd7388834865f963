import { invalidArgument, KinesisServiceError, resourceNotFound, validationError } from '../errors.js';
import { parseShardId } from '../model/sequence-number.js';
import type { Shard } from '../model/shard.js';
import type { Stream } from '../model/stream.js';
import { optionalInteger, optionalObject, optionalString, optionalTimestampMs } from '../protocol/input.js';
import type { OperationHandler } from './context.js';
import { describeShard } from './describe.js';

/** ListShards pagination tokens expire after 300 s, as the service's do. */
export const LIST_SHARDS_TOKEN_TTL_MS = 300_000;

const FILTER_TYPES = new Set(['AFTER_SHARD_ID', 'AT_TRIM_HORIZON', 'FROM_TRIM_HORIZON', 'AT_LATEST', 'AT_TIMESTAMP', 'FROM_TIMESTAMP']);

interface Selection {
  /** Filter type, or undefined for all shards. */
  type: string | undefined;
  /** Shard number after which to list (ExclusiveStartShardId / AFTER_SHARD_ID), -1 for none. */
  after: number;
  timestampMs: number | undefined;
}

interface PageToken extends Selection {
  streamId: number;
  offset: number;
  issuedAtMs: number;
}

function selects(shard: Shard, selection: Selection): boolean {
  if (shard.shardNumber <= selection.after) return false;
  switch (selection.type) {
    case 'AT_LATEST':
      return shard.isOpen;
    case 'AT_TIMESTAMP': {
      const at = selection.timestampMs!;
      return shard.createdAtMs <= at && (shard.closedAtMs === undefined || shard.closedAtMs >= at);
    }
    case 'FROM_TIMESTAMP':
      return shard.closedAtMs === undefined || shard.closedAtMs >= selection.timestampMs!;
    default:
      // No retention trimming in the fake: every shard is at or after the trim horizon.
      return true;
  }
}

function readSelection(input: Record<string, unknown>): Selection {
  let after = -1;
  const exclusiveStart = optionalString(input, 'ExclusiveStartShardId', 1, 128);
  if (exclusiveStart !== undefined) after = parseShardId(exclusiveStart) ?? -1;
  const filter = optionalObject(input, 'ShardFilter');
  if (filter === undefined) return { type: undefined, after, timestampMs: undefined };
  const type = filter.Type;
  if (typeof type !== 'string' || !FILTER_TYPES.has(type)) {
    throw validationError(`ShardFilter.Type must be one of ${[...FILTER_TYPES].join(', ')}, received ${JSON.stringify(type)}.`);
  }
  let timestampMs: number | undefined;
  if (type === 'AFTER_SHARD_ID') {
    const shardId = optionalString(filter, 'ShardId', 1, 128);
    if (shardId === undefined) throw invalidArgument('ShardFilter.ShardId is required when ShardFilter.Type is AFTER_SHARD_ID.');
    after = Math.max(after, parseShardId(shardId) ?? -1);
  } else if (type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP') {
    timestampMs = optionalTimestampMs(filter, 'Timestamp');
    if (timestampMs === undefined) throw invalidArgument(`ShardFilter.Timestamp is required when ShardFilter.Type is ${type}.`);
  }
  return { type, after, timestampMs };
}

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

function decodeToken(text: string): PageToken {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as PageToken;
    if (typeof token.streamId === 'number' && typeof token.offset === 'number' && typeof token.issuedAtMs === 'number') return token;
  } catch {
    // fall through
  }
  throw invalidArgument(`NextToken ${text.slice(0, 64)} is not a valid ListShards token.`);
}

/**
 * ListShards: StreamName or StreamARN, MaxResults (default and cap 1000), ExclusiveStartShardId,
 * ShardFilter; follow-up pages by NextToken ALONE — NextToken with StreamName or StreamARN is an
 * InvalidArgumentException, as the service answers.
 */
export const listShards: OperationHandler = (input, context) => {
  const maxResults = Math.min(optionalInteger(input, 'MaxResults', 1, 10000) ?? 1000, 1000);
  const nextToken = optionalString(input, 'NextToken', 1, 1048576);
  const nowMs = context.config.clock.now();
  let stream: Stream;
  let selection: Selection;
  let offset: number;
  if (nextToken !== undefined) {
    if (input.StreamName !== undefined || input.StreamARN !== undefined) {
      throw invalidArgument('NextToken and StreamName/StreamARN cannot be provided together.');
    }
    if (input.ExclusiveStartShardId !== undefined) {
      throw invalidArgument('NextToken and ExclusiveStartShardId cannot be provided together.');
    }
    const token = decodeToken(nextToken);
    if (nowMs - token.issuedAtMs > LIST_SHARDS_TOKEN_TTL_MS) {
      throw new KinesisServiceError('ExpiredNextTokenException', `NextToken has expired: it was issued more than ${LIST_SHARDS_TOKEN_TTL_MS / 1000} seconds ago.`);
    }
    const found = context.registry.byStreamId(token.streamId);
    if (found === undefined || found.deleted) throw resourceNotFound(`The stream of this NextToken no longer exists.`);
    stream = found;
    selection = token;
    offset = token.offset;
  } else {
    stream = context.registry.resolve(input.StreamName, input.StreamARN);
    selection = readSelection(input);
    offset = 0;
  }
  const selected = stream.shards.filter((shard) => selects(shard, selection));
  const page = selected.slice(offset, offset + maxResults);
  const output: Record<string, unknown> = { Shards: page.map((shard) => describeShard(stream, shard)) };
  if (offset + page.length < selected.length) {
    output.NextToken = encodeToken({
      streamId: stream.id,
      type: selection.type,
      after: selection.after,
      timestampMs: selection.timestampMs,
      offset: offset + page.length,
      issuedAtMs: nowMs,
    });
  }
  return output;
};
