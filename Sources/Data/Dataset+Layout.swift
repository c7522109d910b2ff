import Tensors

extension Dataset {
    /// One example's layout as a model reads it: an image of `imageChannels` channels and `imageShape` when the data
    /// has one (built-in images, IDX files, (N, H, W) and (N, C, H, W) or (N, H, W, C) arrays, `data.image_shape`),
    /// flat features otherwise.
    public var layout: Layout {
        if let image = imageShape, image.width * image.height * imageChannels == featureCount {
            return .image(channels: imageChannels, height: image.height, width: image.width)
        }
        return .flat(featureCount)
    }
}
