import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RunLog

@Suite("LineChart")
struct LineChartTests {
    func chart(points: Int = 11) -> LineChart {
        let x = (0..<points).map(Double.init)
        return LineChart(
            title: "warm <restart> & friends", subtitle: "line one\nline two", xLabel: "epoch",
            panels: [
                LineChart.Panel(title: "KL weights", yLabel: "β", series: [
                    LineChart.Series(name: "global_kl_weight", x: x, y: x.map { $0 / Double(points) }),
                    LineChart.Series(name: "local_kl_weight", x: x, y: x.map { _ in 0.5 }),
                ]),
                LineChart.Panel(title: "learning rate", yLabel: "lr", series: [LineChart.Series(name: "lr", x: x, y: x.map { _ in 1e-3 })]),
            ],
            markers: [LineChart.Marker(x: 4, label: "↻ 4")])
    }

    @Test("the SVG is well-formed XML with a title, axes, legend entries, one line per series and the markers")
    func content() throws {
        let svg = chart().svg()
        let document = try XMLDocument(xmlString: svg)  // throws if not well-formed
        #expect(document.rootElement()?.name == "svg")
        #expect(svg.contains("warm &lt;restart&gt; &amp; friends"))
        #expect(svg.contains(">line one<") && svg.contains(">line two<"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
        for name in ["global_kl_weight", "local_kl_weight", ">lr<", "KL weights", "learning rate", "↻ 4", ">epoch<"] {
            #expect(svg.contains(name), "missing \(name)")
        }
        #expect(svg.components(separatedBy: "stroke-dasharray=\"4 3\"").count - 1 == 2)  // the marker in both panels
    }

    @Test("long series are thinned per pixel column but keep every extreme")
    func thinning() {
        let count = 200_000
        let x = (0..<count).map { Double($0) / 1000 }
        var y = x.map { sin($0) }
        y[123_457] = 5  // a one-sample spike must survive
        let chart = LineChart(title: "t", xLabel: "x", panels: [LineChart.Panel(title: "p", yLabel: "y", series: [LineChart.Series(name: "s", x: x, y: y)])])
        let points = chart.thinned(chart.panels[0].series[0]) { 78 + $0 / 200 * 682 }
        #expect(points.count < 4 * chart.width)
        #expect(points.contains { $0.1 == 5 })
        #expect(points.first!.1 == y[0] && points.last!.1 == y[count - 1])
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.0 <= $1.0 })  // still in x order
        #expect(chart.svg().utf8.count < 200_000)
    }

    @Test("overlaid runs: one colour per run, one line style per quantity, full names that the legend never cuts")
    func overlaidRuns() {
        let x = [0.0, 1, 2]
        let long = "ex_adaptive_warmup_config-20261122-031500: validation"
        let chart = LineChart(title: "ELBO", xLabel: "epoch", panels: [LineChart.Panel(title: "", yLabel: "nats", series: [
            LineChart.Series(name: "run_a: train", x: x, y: [1, 2, 3], style: 0, colour: 0),
            LineChart.Series(name: "run_a: validation", x: x, y: [1, 2, 3], style: 1, colour: 0),
            LineChart.Series(name: long, x: x, y: [1, 2, 3], style: 1, colour: 1),
        ])])
        let svg = chart.svg()
        // The same colour for both lines of run_a; run b's its own; validation dashed for both runs.
        let strokes = svg.components(separatedBy: "<polyline").dropFirst().map { $0.components(separatedBy: "stroke=\"")[1].prefix(7) }
        #expect(strokes == [Substring(LineChart.palette[0]), Substring(LineChart.palette[0]), Substring(LineChart.palette[1])])
        #expect(svg.components(separatedBy: "stroke-dasharray=\"7 4\" points").count - 1 == 2)
        // The full name is there, and the picture is wide enough for it: 52 + 7.2 per character of legend.
        #expect(svg.contains(">\(long)<"))
        let width = Double(svg.components(separatedBy: "width=\"")[1].prefix { $0 != "\"" })!
        #expect(width >= 960 - 200 + 52 + 7.2 * Double(long.count) - 1)
    }

    @Test("a series of one point (a one-epoch run) is marked with a dot in the middle of the x axis; longer ones are lines only")
    func singlePoint() {
        let one = LineChart(title: "t", xLabel: "epoch", panels: [LineChart.Panel(title: "", yLabel: "y", series: [LineChart.Series(name: "a", x: [0], y: [2])])]).svg()
        #expect(one.contains("<circle"))
        // x range [−0.5, 0.5]: the point stands at the plot's horizontal centre, where the x axis's one tick (0) is.
        let circle = one.components(separatedBy: "<circle cx=\"").dropFirst().first?.prefix { $0 != "\"" }
        let tick = one.components(separatedBy: "text-anchor=\"middle\" fill=\"#444\">0<").first?.components(separatedBy: "<text x=\"").last?.prefix { $0 != "\"" }
        #expect(circle != nil && circle == tick)
        let chart = self.chart()
        #expect(!chart.svg().contains("<circle"))
    }

    @Test("a chart with no finite point says so instead of drawing empty axes")
    func empty() {
        let svg = LineChart(title: "ELBO", xLabel: "epoch", panels: [LineChart.Panel(title: "", yLabel: "nats", series: [LineChart.Series(name: "a", x: [], y: [])])]).svg()
        #expect(svg.contains("no finite values to plot") && !svg.contains("<polyline"))
    }
}
