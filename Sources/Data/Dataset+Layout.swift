import Tensors

extension Dataset {
    /// One example's layout as a model reads it: a one-channel image of `imageShape` when the data has one
    /// (built-in images, IDX files, `data.image_shape`), flat features otherwise.
    public var layout: Layout {
        if let image = imageShape, image.width * image.height == featureCount { return .image(channels: 1, height: image.height, width: image.width) }
        return .flat(featureCount)
    }
}
