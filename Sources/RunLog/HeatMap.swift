import Foundation

/// An SVG heat map: columns along x (epochs), rows along y (latent dimensions), colour by value on a
/// perceptually ordered light-to-dark blue scale, with a labelled colour bar.
///
/// The scale runs from min(0, smallest value) to the 98th percentile (nearest rank), not the maximum, of the
/// values of the later half of the columns (every column when there are fewer than 4), so early epochs (a KL of
/// 60 while β is still near 0, among values near 1 once it has risen) do not wash the trained state out to white;
/// values above it are drawn darkest and the colour bar's top reads "≥ p98 (max …)".
public struct HeatMap: Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// values[row][column]; rows are drawn top to bottom.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var width = 960
    public var rowHeight = 18

    public init(title: String, xLabel: String, yLabel: String, values: [[Double]], rowLabels: [String]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.values = values
        self.rowLabels = rowLabels
    }

    /// Light (low) to dark (high) blue, interpolated in RGB between five stops.
    static func colour(_ fraction: Double) -> String {
        let stops: [(Double, Double, Double)] = [(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)]
        let f = min(1, max(0, fraction.isFinite ? fraction : 0)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(f)), t = f - Double(i)
        let (r0, g0, b0) = stops[i], (r1, g1, b1) = stops[i + 1]
        return String(format: "#%02X%02X%02X", Int(r0 + (r1 - r0) * t), Int(g0 + (g1 - g0) * t), Int(b0 + (b1 - b0) * t))
    }

    /// The value drawn darkest: the 98th percentile of `values` by nearest rank (the ⌈0.98·n⌉-th smallest).
    static func upperScaleValue(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 1 }
        let sorted = values.sorted()
        let rank = Int((0.98 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    public func svg() -> String {
        let left = 78.0, right = 120.0, top = 40.0, bottom = 46.0
        let rows = values.count, columns = values.map(\.count).max() ?? 0
        let plotWidth = Double(width) - left - right
        let height = top + Double(max(1, rows) * rowHeight) + bottom
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = min(0, finite.min() ?? 0)
        let largest = finite.max() ?? 1
        let later = columns >= 4 ? values.flatMap { $0.dropFirst(columns / 2) }.filter(\.isFinite) : finite
        let high = max(Self.upperScaleValue(later.isEmpty ? finite : later), low + 1e-12)
        let cellWidth = plotWidth / Double(max(1, columns))
        var out = SVGText.header(width: width, height: Int(height), title: title)
        out += "<text x=\"\(f(left))\" y=\"24\" font-size=\"14\" font-weight=\"600\" fill=\"#111\">\(escape(title))</text>\n"
        for (row, rowValues) in values.enumerated() {
            let y = top + Double(row * rowHeight)
            out += "<text x=\"\(f(left - 8))\" y=\"\(f(y + Double(rowHeight) * 0.7))\" text-anchor=\"end\" fill=\"#444\">\(escape(row < rowLabels.count ? rowLabels[row] : String(row)))</text>\n"
            for (column, value) in rowValues.enumerated() {
                let x = left + Double(column) * cellWidth
                out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cellWidth + 0.3))\" height=\"\(rowHeight)\" fill=\"\(Self.colour((value - low) / (high - low)))\"><title>\(escape(rowLabels.indices.contains(row) ? rowLabels[row] : String(row))), epoch \(column): \(String(format: "%.4g", value))</title></rect>\n"
            }
        }
        let ticks = AxisTicks(minimum: 0, maximum: Double(max(1, columns - 1)), count: 8)
        for tick in ticks.values where tick <= Double(columns - 1) + 1e-9 {
            let x = left + (tick + 0.5) * cellWidth
            out += "<text x=\"\(f(x))\" y=\"\(f(top + Double(rows * rowHeight) + 16))\" text-anchor=\"middle\" fill=\"#444\">\(escape(ticks.label(tick)))</text>\n"
        }
        out += "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" fill=\"#222\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(18,\(f(top + Double(rows * rowHeight) / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#222\">\(escape(yLabel))</text>\n"
        // Colour bar.
        let barX = left + plotWidth + 24, barHeight = Double(max(1, rows) * rowHeight)
        for step in 0..<20 {
            let fraction = 1 - Double(step) / 19
            out += "<rect x=\"\(f(barX))\" y=\"\(f(top + Double(step) * barHeight / 20))\" width=\"14\" height=\"\(f(barHeight / 20 + 0.5))\" fill=\"\(Self.colour(fraction))\"/>\n"
        }
        let topLabel = largest > high ? "≥ \(String(format: "%.3g", high))" : String(format: "%.3g", high)
        out += "<text x=\"\(f(barX + 20))\" y=\"\(f(top + 10))\" fill=\"#444\">\(escape(topLabel))</text>\n"
        if largest > high {
            out += "<text x=\"\(f(barX + 20))\" y=\"\(f(top + 24))\" fill=\"#888\" font-size=\"10\">max \(String(format: "%.3g", largest))</text>\n"
        }
        out += "<text x=\"\(f(barX + 20))\" y=\"\(f(top + barHeight))\" fill=\"#444\">\(String(format: "%.3g", low))</text>\n"
        out += "</svg>\n"
        return out
    }

    private func f(_ value: Double) -> String { SVGText.number(value) }
    private func escape(_ text: String) -> String { SVGText.escape(text) }
}
