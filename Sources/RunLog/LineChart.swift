import Foundation

/// A self-contained SVG line chart: one or more panels stacked over a shared x axis, one line per series,
/// a legend, labelled axes with "nice" ticks, and vertical markers (restarts) across every panel.
///
/// Long series are thinned per pixel column to the first, lowest, highest and last point of each column,
/// so a million-step schedule draws the same picture as its full data, spikes included, in a small file.
public struct LineChart: Sendable {
    /// One line.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// The line style: 0 solid, 1 dashed, 2 dotted, 3 dash-dot (cycling for more).
        public var style: Int
        /// The palette colour; nil takes the series' position in its panel.
        public var colour: Int?

        public init(name: String, x: [Double], y: [Double], dashed: Bool = false) {
            self.init(name: name, x: x, y: y, style: dashed ? 1 : 0)
        }

        public init(name: String, x: [Double], y: [Double], style: Int, colour: Int? = nil) {
            precondition(x.count == y.count, "x and y must have the same length")
            self.name = name
            self.x = x
            self.y = y
            self.style = style
            self.colour = colour
        }

        public var dashed: Bool { style != 0 }
    }

    /// `stroke-dasharray` values of the line styles after solid.
    static let dashPatterns = ["7 4", "2 3", "8 3 2 3"]

    /// One plot area with its own y axis.
    public struct Panel: Sendable {
        public var title: String
        public var yLabel: String
        public var series: [Series]
        /// Fixed y range; nil fits the data.
        public var yRange: ClosedRange<Double>?

        public init(title: String, yLabel: String, series: [Series], yRange: ClosedRange<Double>? = nil) {
            self.title = title
            self.yLabel = yLabel
            self.series = series
            self.yRange = yRange
        }
    }

    /// A vertical line at `x` through every panel, labelled at the top.
    public struct Marker: Sendable {
        public var x: Double
        public var label: String

        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    public var title: String
    public var subtitle: String
    public var xLabel: String
    public var panels: [Panel]
    public var markers: [Marker]
    public var width = 960
    public var panelHeight = 280

    public init(title: String, subtitle: String = "", xLabel: String, panels: [Panel], markers: [Marker] = []) {
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.panels = panels
        self.markers = markers
    }

    /// Sixteen colours that stay apart on white: Okabe–Ito's first five (distinguishable with the common
    /// colour-vision deficiencies), then each next colour chosen from Okabe–Ito's, Paul Tol's, Kelly's and
    /// ColorBrewer's sets as the one farthest (CIELAB ΔE) from those already chosen, among colours of lightness
    /// L* < 78 (a pale yellow vanished on the white page). Every pair differs by ΔE ≥ 28.9 (the old palette's
    /// sky blue and pale cyan, classes 5 and 9 of a per-class report, by 14), so ten classes overlaid stay ten.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#000000", "#8DB600", "#332288",
                                 "#654522", "#BE0032", "#17BECF", "#848482", "#882255", "#33A02C", "#9467BD", "#999933"]

    private let left = 78.0
    /// The legend column: wide enough for the longest name (full names, never cut), within limits.
    private var right: Double {
        let longest = panels.flatMap { $0.series.map(\.name.count) + [$0.title.count] }.max() ?? 0
        return min(520, max(200, 52 + 7.2 * Double(longest)))
    }
    /// The whole width: the plot keeps `width − 200` pixels however wide the legend is.
    private var totalWidth: Double { Double(width) - 200 + right }
    private let gap = 40.0
    private let bottom = 56.0

    /// Subtitle lines (the subtitle split at line breaks).
    private var subtitleLines: [String] { subtitle.isEmpty ? [] : subtitle.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    /// Space above the first panel: title, subtitle lines, marker labels.
    private var top: Double { 52 + 17 * Double(subtitleLines.count) + 18 }

    /// The chart as an SVG document.
    public func svg() -> String {
        // Nothing to draw (a run that diverged in its first epoch): say so instead of empty axes.
        if panels.allSatisfy({ $0.series.allSatisfy { $0.x.isEmpty } }) {
            var out = SVGText.header(width: 480, height: 70, title: title)
            out += "<text x=\"16\" y=\"28\" font-size=\"15\" font-weight=\"600\" fill=\"#111\">\(escape(title))</text>\n"
            out += "<text x=\"16\" y=\"52\" fill=\"#666\">no finite values to plot</text>\n</svg>\n"
            return out
        }
        let plotWidth = totalWidth - left - right
        // A panel is tall enough for its legend (20 pixels an entry below its title): entries past the panel's
        // foot were cut off (a per-class report lost class_8 and class_9).
        let heights = panels.map { Double(max(panelHeight, 48 + 20 * $0.series.count)) }
        var tops: [Double] = []
        var next = top
        for panelHeight in heights {
            tops.append(next)
            next += panelHeight + gap
        }
        let height = top + heights.reduce(0, +) + Double(max(0, panels.count - 1)) * gap + bottom
        let allX = panels.flatMap { $0.series.flatMap(\.x) } + markers.map(\.x)
        // One x value (a one-epoch run): half a unit either side, so its points stand in the middle.
        let single = (allX.min() ?? 0) == (allX.max() ?? 1)
        let xMin = (allX.min() ?? 0) - (single ? 0.5 : 0)
        let xMax = max((allX.max() ?? 1) + (single ? 0.5 : 0), xMin + 1e-12)
        let xTicks = single ? AxisTicks(minimum: xMin + 0.5, maximum: xMin + 0.5, count: 1) : AxisTicks(minimum: xMin, maximum: xMax, count: 8)
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotWidth }

        var out = SVGText.header(width: Int(totalWidth), height: Int(height), title: title)
        out += "<text x=\(q(left)) y=\"30\" font-size=\"18\" font-weight=\"600\" fill=\"#111\">\(escape(title))</text>\n"
        for (index, line) in subtitleLines.enumerated() {
            out += "<text x=\(q(left)) y=\(q(52 + 17 * Double(index))) font-size=\"12\" fill=\"#555\">\(escape(line))</text>\n"
        }
        for (panelIndex, panel) in panels.enumerated() {
            let y0 = tops[panelIndex]
            let y1 = y0 + heights[panelIndex]
            let values = panel.series.flatMap(\.y).filter(\.isFinite)
            let yTicks: AxisTicks
            if let range = panel.yRange {
                yTicks = AxisTicks(minimum: range.lowerBound, maximum: range.upperBound, count: 5)
            } else {
                yTicks = AxisTicks(minimum: min(0, values.min() ?? 0), maximum: values.max() ?? 1, count: 5)
            }
            let yLow = panel.yRange?.lowerBound ?? yTicks.lower
            let yHigh = panel.yRange?.upperBound ?? yTicks.upper
            func py(_ y: Double) -> Double { y1 - (y - yLow) / max(yHigh - yLow, 1e-300) * (y1 - y0) }

            out += "<g>\n"
            out += "<rect x=\(q(left)) y=\(q(y0)) width=\(q(plotWidth)) height=\(q(y1 - y0)) fill=\"#fafafa\" stroke=\"#ccc\"/>\n"
            for tick in yTicks.values where tick >= yLow - 1e-12 && tick <= yHigh + 1e-12 {
                let y = py(tick)
                out += "<line x1=\(q(left)) y1=\(q(y)) x2=\(q(left + plotWidth)) y2=\(q(y)) stroke=\"#e6e6e6\"/>\n"
                out += "<text x=\(q(left - 8)) y=\(q(y + 4)) text-anchor=\"end\" fill=\"#444\">\(escape(yTicks.label(tick)))</text>\n"
            }
            for tick in xTicks.values where tick >= xMin - 1e-9 && tick <= xMax + 1e-9 {
                let x = px(tick)
                out += "<line x1=\(q(x)) y1=\(q(y0)) x2=\(q(x)) y2=\(q(y1)) stroke=\"#eeeeee\"/>\n"
                out += "<text x=\(q(x)) y=\(q(y1 + 16)) text-anchor=\"middle\" fill=\"#444\">\(escape(xTicks.label(tick)))</text>\n"
            }
            if !panel.title.isEmpty {
                out += "<text x=\(q(left + plotWidth + 16)) y=\(q(y0 + 12)) font-weight=\"600\" fill=\"#222\">\(escape(panel.title))</text>\n"
            }
            out += "<text transform=\"translate(\(f(22)),\(f((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">\(escape(panel.yLabel))</text>\n"
            for marker in markers {
                let x = px(marker.x)
                out += "<line x1=\(q(x)) y1=\(q(y0)) x2=\(q(x)) y2=\(q(y1)) stroke=\"#888\" stroke-dasharray=\"4 3\"/>\n"
            }
            out += "<clipPath id=\"panel\(panelIndex)\"><rect x=\(q(left)) y=\(q(y0 - 2)) width=\(q(plotWidth)) height=\(q(y1 - y0 + 4))/></clipPath>\n"
            for (seriesIndex, series) in panel.series.enumerated() {
                let colour = LineChart.palette[(series.colour ?? (panelIndex * 3 + seriesIndex)) % LineChart.palette.count]
                let points = thinned(series, px: px).map { "\(f($0.0)),\(f(py($0.1)))" }.joined(separator: " ")
                let dash = series.style == 0 ? "" : " stroke-dasharray=\"\(LineChart.dashPatterns[(series.style - 1) % LineChart.dashPatterns.count])\""
                out += "<polyline clip-path=\"url(#panel\(panelIndex))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-linejoin=\"round\"\(dash) points=\"\(points)\"/>\n"
                // A series of one point (a one-epoch run) draws no line: mark the point.
                if series.x.count == 1, let x = series.x.first, let y = series.y.first {
                    out += "<circle cx=\(q(px(x))) cy=\(q(py(y))) r=\"4\" fill=\"\(colour)\"/>\n"
                }
                let legendY = y0 + 36 + Double(seriesIndex) * 20
                let legendX = left + plotWidth + 16
                out += "<line x1=\(q(legendX)) y1=\(q(legendY - 4)) x2=\(q(legendX + 22)) y2=\(q(legendY - 4)) stroke=\"\(colour)\" stroke-width=\"3\"\(dash)/>\n"
                out += "<text x=\(q(legendX + 28)) y=\(q(legendY)) fill=\"#222\">\(escape(series.name))</text>\n"
            }
            out += "</g>\n"
        }
        // Marker labels above the first panel, skipping any that would overlap the previous one.
        var lastLabelX = -Double.infinity
        for marker in markers {
            let x = px(marker.x)
            if x - lastLabelX < 34 { continue }
            out += "<text x=\(q(x)) y=\(q(top - 8)) text-anchor=\"middle\" font-size=\"11\" fill=\"#666\">\(escape(marker.label))</text>\n"
            lastLabelX = x
        }
        out += "<text x=\(q(left + plotWidth / 2)) y=\(q(height - 14)) text-anchor=\"middle\" fill=\"#222\">\(escape(xLabel))</text>\n"
        out += "</svg>\n"
        return out
    }

    /// The points to draw: per pixel column, the first, lowest, highest and last point, in their order.
    func thinned(_ series: Series, px: (Double) -> Double) -> [(Double, Double)] {
        let count = series.x.count
        if count <= 4 * width { return (0..<count).map { (px(series.x[$0]), series.y[$0]) } }
        var result: [(Double, Double)] = []
        var start = 0
        while start < count {
            let column = px(series.x[start]).rounded(.down)
            var end = start
            var lowIndex = start
            var highIndex = start
            while end < count && px(series.x[end]).rounded(.down) == column {
                if series.y[end] < series.y[lowIndex] { lowIndex = end }
                if series.y[end] > series.y[highIndex] { highIndex = end }
                end += 1
            }
            var picks = [start, lowIndex, highIndex, end - 1]
            picks.sort()
            var previous = -1
            for index in picks where index != previous {
                result.append((px(series.x[index]), series.y[index]))
                previous = index
            }
            start = end
        }
        return result
    }

    private func f(_ value: Double) -> String { SVGText.number(value) }
    private func q(_ value: Double) -> String { "\"" + f(value) + "\"" }
    private func escape(_ text: String) -> String { SVGText.escape(text) }
}
