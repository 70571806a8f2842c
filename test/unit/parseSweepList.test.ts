import {describe, expect, it} from "vitest";
import {parseList, parseSweepList} from "../../src-main/engine/bench/parseSweepList.js";

describe("parseSweepList", () => {
    it("reads plain lists in the order given", () => {
        expect(parseList("1,2,4", "count")).toEqual([1, 2, 4]);
        expect(parseList("64,512", "tokens")).toEqual([64, 512]);
        expect(parseList(" 8 , 2 ", "count")).toEqual([8, 2]);
        expect(parseList("4,4", "count")).toEqual([4, 4]);
    });

    it("reads gpu layers with max", () => {
        expect(parseList("0,8,16,max", "gpuLayers")).toEqual([0, 8, 16, "max"]);
        expect(parseList("MAX", "gpuLayers")).toEqual(["max"]);
        expect(parseList("auto", "threads")).toEqual(["auto"]);
        expect(parseList("1-2,Auto", "threads")).toEqual([1, 2, "auto"]);
        expect(() => parseList("0,auto", "threads")).toThrow('"0": values must be at least 1');
        expect(() => parseList("auto", "count")).toThrow('"auto" is not an integer');
    });

    it("expands llama-bench ranges", () => {
        expect(parseList("1-8+1", "count")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(parseList("1-4", "count")).toEqual([1, 2, 3, 4]);
        expect(parseList("0-32+8", "gpuLayers")).toEqual([0, 8, 16, 24, 32]);
        expect(parseList("1-10+4", "count")).toEqual([1, 5, 9]);
        expect(parseList("1-64*2", "count")).toEqual([1, 2, 4, 8, 16, 32, 64]);
        expect(parseList("3-3", "count")).toEqual([3]);
        expect(parseList("1,16-32+16,max", "gpuLayers")).toEqual([1, 16, 32, "max"]);
    });

    it("reads booleans", () => {
        expect(parseList("0,1", "bool")).toEqual([false, true]);
        expect(parseList("on,off,true,false,yes,no", "bool")).toEqual([true, false, true, false, true, false]);
    });

    it("rejects what it cannot read", () => {
        expect(() => parseList("", "count")).toThrow(/Empty item/);
        expect(() => parseList("1,,2", "count")).toThrow(/Empty item/);
        expect(() => parseList("0", "count")).toThrow(/at least 1/);
        expect(() => parseList("max", "count")).toThrow(/not an integer/);
        expect(() => parseList("1.5", "tokens")).toThrow(/not an integer/);
        expect(() => parseList("-1", "tokens")).toThrow(/not an integer/);
        expect(() => parseList("8-1", "count")).toThrow(/ends before it starts/);
        expect(() => parseList("1-8+0", "count")).toThrow(/step/);
        expect(() => parseList("1-8*1", "count")).toThrow(/factor/);
        expect(() => parseList("0-8*2", "tokens")).toThrow(/factor/);
        expect(() => parseList("maybe", "bool")).toThrow(/boolean/);
        expect(() => parseList("1-8", "bool")).toThrow(/boolean/);
        expect(() => parseList("1-100000000", "tokens")).toThrow(/more than/);
    });

    it("is the same function under both names", () => {
        expect(parseList).toBe(parseSweepList);
    });
});
