import Testing
@testable import RunLog

@Suite("HeatMap")
struct HeatMapTests {
    @Test("the darkest colour is the 98th percentile by nearest rank: a spike does not wash out the other cells")
    func robustScale() {
        // 100 values: ⌈0.98·100⌉ = 98th smallest. 98 values of 2 and two spikes of 60 → 2.
        #expect(HeatMap.upperScaleValue([60, 60] + Array(repeating: 2, count: 98)) == 2)
        // 3 values: ⌈2.94⌉ = 3rd smallest, the maximum.
        #expect(HeatMap.upperScaleValue([1, 5, 3]) == 5)
        #expect(HeatMap.upperScaleValue([]) == 1)
        let spiked = HeatMap(title: "KL", xLabel: "epoch", yLabel: "dimension",
                             values: [[60] + Array(repeating: 2, count: 99), Array(repeating: 0, count: 100)], rowLabels: ["z0", "z1"])
        let svg = spiked.svg()
        // Scale 0…2 over 200 cells (⌈196⌉-th smallest is 2): the cells of 2 are the darkest blue, the spike too.
        #expect(svg.contains(">≥ 2</text>") && svg.contains(">max 60</text>"))
        #expect(svg.contains("epoch 1: 2</title>") && svg.components(separatedBy: "fill=\"#08306B\"><title>z0").count == 101)
        let plain = HeatMap(title: "KL", xLabel: "epoch", yLabel: "dimension", values: [[0, 1, 2]], rowLabels: ["z0"]).svg()
        #expect(plain.contains(">2</text>") && !plain.contains("max "))
    }
}
