// Loads the KPL-made golden vectors from the repository's sibling `shared/` folder at test time.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface GoldenUserRecord {
  partitionKey: string;
  explicitHashKey?: string;
  data: string;
  aggregated?: boolean;
  subSequenceNumber?: number;
}

export interface GoldenVector {
  name: string;
  records: GoldenUserRecord[];
  blobBase64: string;
}

export interface GoldenEvent {
  name: string;
  description: string;
  event: Record<string, unknown>;
  expectedUserRecords: GoldenUserRecord[];
}

export interface GoldenFixture {
  vectors: GoldenVector[];
  events: GoldenEvent[];
}

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
/** `<repo>/../shared/fixtures/kpl-golden.json`, i.e. three levels above the package. */
export const goldenPath = fileURLToPath(new URL('../../../shared/fixtures/kpl-golden.json', `file://${packageRoot}`));

export function loadGolden(): GoldenFixture | undefined {
  if (!existsSync(goldenPath)) {
    console.warn(`[agg-codec] golden fixture ${goldenPath} is absent: the KPL golden tests are SKIPPED`);
    return undefined;
  }
  return JSON.parse(readFileSync(goldenPath, 'utf8')) as GoldenFixture;
}

export const utf8 = (value: string): Uint8Array => new TextEncoder().encode(value);
