/// A data set restricted to some classes (a per-class or per-group generator's share of the data).
extension Dataset {
    /// The examples whose label is one of `labels`, in order, with everything else (class count, class
    /// names, image shape) kept, so labels keep their meaning. Unlabelled data has no subsets: nil.
    public func subset(labels wanted: Set<Int32>) -> Dataset? {
        guard let labels else { return nil }
        let rows = labels.indices.filter { wanted.contains(labels[$0]) }
        let width = featureCount
        let storage = self.storage.selecting(rows: rows)
        var groups = 0
        if case .categorical(let count, _) = kind { groups = count }
        var subset = Dataset(name: name, kind: kind, count: rows.count, featureCount: width, storage: storage,
                       categories: categories.map { categories in rows.flatMap { categories[($0 * groups)..<(($0 + 1) * groups)] } },
                       labels: rows.map { labels[$0] }, classCount: classCount, classNames: classNames,
                       difficulty: difficulty.map { difficulty in rows.map { difficulty[$0] } }, imageShape: imageShape)
        subset.keepDescription(of: self)
        subset.factors = factors?.subset(rows: rows)
        if let whole = source {
            subset.source = (count: whole.count, rows: rows.map { whole.rows[$0] })
        } else {
            subset.source = (count: count, rows: rows)
        }
        return subset
    }
}
