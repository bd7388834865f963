export interface ChildRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly elapsedMs: number;
}
/** Bundles `script` (a path inside this package, or an absolute path) and runs it with `env` added to (or, for undefined values, removed from) the environment. */
export declare function runChild(script: string, env: Record<string, string | undefined>, killAfterMs?: number): Promise<ChildRun>;
//# sourceMappingURL=run-child.d.ts.map