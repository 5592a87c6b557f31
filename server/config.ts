// The only module that reads process.env: one schema, parsed once at start-up. A bad value stops start-up
// with a message naming the variable.
// Classic zod here (not zod/mini): this never ships in the extension, and its defaults/transforms read better.
import { z } from 'zod';
import { resolve } from 'node:path';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) =>
  z.string().regex(/^\d+$/, { error: 'must be a whole number' }).transform(Number).pipe(z.number().min(min).max(max));

const envSchema = z.object({
  CREDITWATCH_PORT: int(0, 65535).default(4317),
  CREDITWATCH_HOST: z.string().min(1).default('127.0.0.1'),
  CREDITWATCH_DATA_DIR: z.string().min(1).default('./data'),
  CREDITWATCH_OWNER_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{16,200}$/, { error: 'must be 16–200 characters of A–Z, a–z, 0–9, _ or -' }).optional(),
  /** fdatasync every group commit (survives power loss, not only kill -9). */
  CREDITWATCH_FSYNC: bool.default(true),
  CREDITWATCH_RETENTION_DAYS: int(1, 3650).default(400),
  /** Requests per minute per token (a token bucket allows bursts of half of it). */
  CREDITWATCH_RATE_LIMIT: int(1, 10_000_000).default(1200),
  CREDITWATCH_HEARTBEAT_SECONDS: int(1, 25).default(20),
  CREDITWATCH_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Seconds before each alert delivery attempt, comma-separated; its length is the number of attempts. */
  CREDITWATCH_RETRY_SCHEDULE: z
    .string()
    .regex(/^\d+(\.\d+)?(,\d+(\.\d+)?){0,19}$/, { error: 'must be 1–20 comma-separated numbers of seconds, e.g. 0,5,300' })
    .optional(),
  /** Where the built extension is, for the start-up hint. */
  CREDITWATCH_EXTENSION_DIR: z.string().default('.output/chrome-mv3'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  ownerToken?: string;
  fsync: boolean;
  retentionDays: number;
  rateLimitPerMinute: number;
  heartbeatMs: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  extensionDir: string;
  retrySchedule?: number[];
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = r.data;
  return {
    port: e.CREDITWATCH_PORT,
    host: e.CREDITWATCH_HOST,
    dataDir: resolve(e.CREDITWATCH_DATA_DIR),
    ownerToken: e.CREDITWATCH_OWNER_TOKEN,
    fsync: e.CREDITWATCH_FSYNC,
    retentionDays: e.CREDITWATCH_RETENTION_DAYS,
    rateLimitPerMinute: e.CREDITWATCH_RATE_LIMIT,
    heartbeatMs: e.CREDITWATCH_HEARTBEAT_SECONDS * 1000,
    logLevel: e.CREDITWATCH_LOG_LEVEL,
    extensionDir: resolve(e.CREDITWATCH_EXTENSION_DIR),
    retrySchedule: e.CREDITWATCH_RETRY_SCHEDULE?.split(',').map(Number),
  };
}
