import {defineConfig} from "vitest/config";

// Fast unit tests and model tests (real llama.cpp on tiny synthetic models) run in one `npm test`.
// Model tests are CPU-heavy on 2-core machines, so files run one at a time.
export default defineConfig({
    test: {
        include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
        fileParallelism: false,
        testTimeout: 120_000,
        hookTimeout: 300_000,
        reporters: ["default"]
    }
});
