import {describe, expect, it} from "vitest";
import {parseRamSpec, theoreticalBandwidthGBs} from "../../src-main/engine/hardware/parseRamSpec.js";

describe("parseRamSpec", () => {
    it.each([
        ["DDR5-5600x2", "DDR5", 5600, 2, 89.6],
        ["DDR4-3600, 2 channels", "DDR4", 3600, 2, 57.6],
        ["ddr4 3200 dual", "DDR4", 3200, 2, 51.2],
        ["DDR4-3200 dual-channel", "DDR4", 3200, 2, 51.2],
        ["2x DDR4-3200", "DDR4", 3200, 2, 51.2],
        ["DDR4-3600 × 4", "DDR4", 3600, 4, 115.2],
        ["DDR4 2666 quad channel", "DDR4", 2666, 4, 85.312],
        ["DDR5 6000MHz 2-channel", "DDR5", 6000, 2, 96],
        ["channels: 4, DDR4 2933", "DDR4", 2933, 4, 93.856],
        ["LPDDR5X 8533 MT/s 8ch", "LPDDR5X", 8533, 8, 546.112]
    ])("%s", (text, type, mts, channels, gbs) => {
        expect(parseRamSpec(text)).toEqual({type, mts, channels, theoreticalGBs: gbs});
    });

    it("defaults to one channel and keeps an unnamed type null", () => {
        expect(parseRamSpec("3200")).toEqual({type: null, mts: 3200, channels: 1, theoreticalGBs: 25.6});
    });

    it("returns null without a transfer rate", () => {
        expect(parseRamSpec("ddr5")).toBeNull();
        expect(parseRamSpec("")).toBeNull();
        expect(parseRamSpec("fast ram")).toBeNull();
    });

    it("computes channels x MT/s x 8 bytes: the guide's table", () => {
        expect(theoreticalBandwidthGBs(3600, 2)).toBe(57.6);
        expect(theoreticalBandwidthGBs(3200, 2)).toBe(51.2);
        expect(theoreticalBandwidthGBs(5600, 2)).toBe(89.6);
        expect(theoreticalBandwidthGBs(3600, 4)).toBe(115.2);
    });
});
