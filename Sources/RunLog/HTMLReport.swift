/// A self-contained HTML page: a title, a table of runs, and sections of inline SVG figures. No scripts, no
/// external resources, so it opens anywhere, offline, and prints.
public struct HTMLReport: Sendable {
    public struct Section: Sendable {
        public var title: String
        public var note: String
        public var figures: [String]

        public init(title: String, note: String = "", figures: [String]) {
            self.title = title
            self.note = note
            self.figures = figures
        }
    }

    public var title: String
    public var summaryHeader: [String]
    public var summaryRows: [[String]]
    public var sections: [Section]

    public init(title: String, summaryHeader: [String], summaryRows: [[String]], sections: [Section]) {
        self.title = title
        self.summaryHeader = summaryHeader
        self.summaryRows = summaryRows
        self.sections = sections
    }

    public var html: String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1000px; color: #222; background: #fff; }
        h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
        h2 { font-size: 1.2rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.3rem; }
        p.note { color: #555; margin-top: 0.2rem; }
        table { border-collapse: collapse; font-size: 0.9rem; margin-top: 1rem; }
        th, td { border: 1px solid #ddd; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
        th { background: #f4f6f8; }
        figure { margin: 1rem 0; }
        svg { max-width: 100%; height: auto; }
        </style>
        </head>
        <body>
        <h1>\(escape(title))</h1>
        <table>
        <thead><tr>\(summaryHeader.map { "<th>\(escape($0))</th>" }.joined())</tr></thead>
        <tbody>

        """
        for row in summaryRows { out += "<tr>\(row.map { "<td>\(escape($0))</td>" }.joined())</tr>\n" }
        out += "</tbody>\n</table>\n"
        for section in sections {
            out += "<h2>\(escape(section.title))</h2>\n"
            if !section.note.isEmpty { out += "<p class=\"note\">\(escape(section.note))</p>\n" }
            for figure in section.figures { out += "<figure>\n\(figure)</figure>\n" }
        }
        out += "</body>\n</html>\n"
        return out
    }

    private func escape(_ text: String) -> String { SVGText.escape(text) }
}
