export declare const sourceAliases: Record<string, string>;
export declare const sharedTestConfig: {
    resolve: {
        alias: Record<string, string>;
    };
    test: {
        include: string[];
        restoreMocks: boolean;
    };
};
//# sourceMappingURL=vitest.shared.d.ts.map