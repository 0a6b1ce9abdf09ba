// Types of redis-server.mjs for the TypeScript callers (the benchmark).
export declare const MISSING_REDIS: string;
export declare function redisServerInstalled(): boolean;
export interface ThrowawayRedis {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}
export declare function startThrowawayRedis(): Promise<ThrowawayRedis>;
