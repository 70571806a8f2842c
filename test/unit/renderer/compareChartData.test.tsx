import {describe, expect, it} from "vitest";
import {comparableTests, compareChartData} from "../../../src-renderer/compareChartData.js";
import {configKey} from "../../../src-renderer/compareRuns.js";
import {resultFixture} from "./fixtures.js";

describe("compareChartData", () => {
    const a1 = resultFixture({threads: 1, tg: 10, ceilingTps: 30});
    const a2 = resultFixture({threads: 2, tg: 16, ceilingTps: 40});
    const a2slow = resultFixture({threads: 2, tg: 12, ceilingTps: 40});
    const b1 = resultFixture({threads: 1, tg: 15, ceilingTps: null, env: {...a1.env, cpu: "Other CPU"}});
    const other = resultFixture({threads: 1, tg: 3, config: {...a1.config, nPrompt: 512}});
    const sides = [{side: "A", machine: "Test CPU 9000", rows: [a1, a2, a2slow, other]}, {side: "B", machine: "Other CPU", rows: [b1]}];

    it("offers the tests either run measured, those both measured first", () => {
        expect(comparableTests(sides)).toEqual([configKey(a1), configKey(other)]);
    });

    it("gives one series per machine: its fastest row at each thread count and its ceiling there", () => {
        const data = compareChartData(sides, configKey(a1));
        expect(data.series.map((series) => series.machine)).toEqual(["Test CPU 9000", "Other CPU"]);
        expect(data.series[0]!.points.map(({x, y}) => [x, y])).toEqual([[1, 10], [2, 16]]);
        expect(data.series[0]!.ceiling).toEqual([{x: 1, y: 30}, {x: 2, y: 40}]);
        expect(data.series[0]!.ceilingKind).toBe("measured");
        // B measured without a bandwidth: its points, and no ceiling, said so
        expect(data.series[1]!.points.map(({x, y}) => [x, y])).toEqual([[1, 15]]);
        expect(data.series[1]!.ceilingKind).toBeNull();
        expect(data.xDomain).toEqual([1, 2]);
        expect(data.yDomain[1]).toBeGreaterThanOrEqual(40);
    });

    it("leaves a machine's series empty for a test it did not run", () => {
        const data = compareChartData(sides, configKey(other));
        expect(data.series[0]!.points).toHaveLength(1);
        expect(data.series[1]!.points).toEqual([]);
    });
});
