import Tensors

extension SpriteImages {
    /// The data set of these images (`data.source: "dsprites"`): every image, or a seeded subset of `subset`
    /// of them in index order (drawn by `RandomGenerator(seed:)`'s permutation of all indices, its first
    /// `subset`). Labels are the shape factor (square, ellipse, heart), so conditional models and samplers by
    /// class see it. Nothing is drawn here: batches draw their images.
    public func dataset(subset: Int? = nil, seed: UInt64 = 0) -> Dataset {
        var indices: [Int32]?
        if let subset, subset < Self.count {
            var generator = RandomGenerator(seed: seed)
            indices = generator.permutation(Self.count).prefix(subset).sorted().map { Int32($0) }
        }
        var dataset = self.dataset(indices: indices)
        dataset.notes.append("dsprites: dSprites-style \(resolution)×\(resolution) images drawn on demand (README: the geometry), "
                             + (indices == nil ? "all \(Self.count)" : "a subset of \(dataset.count) of the \(Self.count) (data.subset_seed \(seed))")
                             + "; labels are the shape (square, ellipse, heart)")
        return dataset
    }

    /// The images `indices` (all of them, in index order, when nil) as a data set, labelled by shape, with their
    /// factors: what `dataset(subset:seed:)` makes, and what the disentanglement metrics draw with a factor fixed.
    public func dataset(indices: [Int32]?) -> Dataset {
        let count = indices?.count ?? Self.count
        let perShape = Self.count / Self.factorSizes[0]
        let labels = (0..<count).map { row in Int32((indices.map { Int($0[row]) } ?? row) / perShape) }
        var dataset = Dataset(name: "dsprites", count: count, featureCount: resolution * resolution, storage: SpriteRows(self, indices: indices),
                              labels: labels, classCount: Self.shapeNames.count, classNames: Self.shapeNames, imageShape: (resolution, resolution))
        dataset.factors = .sprites(indices: indices)
        return dataset
    }
}
