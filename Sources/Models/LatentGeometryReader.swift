import JSONConfig

/// Reads a model section's latent-geometry keys: `latent_geometry` (`euclidean`, the default, or `poincare`)
/// and, for the Poincaré ball, `curvature` (c > 0, default 1), `max_radius` (the projection radius as a
/// fraction of the ball's radius 1/√c, 0 < r ≤ 0.996, default 0.95: seed 004's value) and
/// `radial_max_difficulty` (the difficulty the radial loss puts at the centre, > 0, default 9). Errors name the
/// key path, the bad value and what is allowed.
public enum LatentGeometryReader {
    /// Every geometry's config name.
    public static let names = ["euclidean", "poincare"]
    /// The model-section keys the geometries read.
    public static let keys = ["latent_geometry", "curvature", "max_radius", "radial_max_difficulty"]
    /// The keys only the Poincaré ball reads.
    static let poincareKeys = ["curvature", "max_radius", "radial_max_difficulty"]

    /// The geometry of `section`, a model section of type `typeName`; a type that cannot place its latents on
    /// the ball says so (`poincare` is then an error naming `reason`).
    public static func read(_ section: ConfigObject, typeName: String, poincareUnsupported reason: String? = nil) throws(ConfigError) -> any LatentGeometry {
        let name = try section.node("latent_geometry")?.choice(names, what: "latent geometry") ?? "euclidean"
        switch name {
        case "poincare":
            if let reason { throw section.error(at: "latent_geometry", "the \(typeName) model cannot use \"poincare\": \(reason); the Poincaré ball works with vae, cvae and dual_vae") }
            let curvature = try positive(section, "curvature", default: 1, meaning: "the ball has curvature −c and radius 1/√c")
            let maxRadius = try section.node("max_radius").map { node throws(ConfigError) in
                let value = try node.number()
                if value <= 0 || value > PoincareGeometry.largestMaxRadius {
                    throw node.error("must be greater than 0 and at most \(PoincareGeometry.largestMaxRadius) (a fraction of the ball's radius 1/√c; float32 cannot tell points beyond 0.996 from the boundary), got \(node.value.briefDescription)")
                }
                return value
            } ?? PoincareGeometry.defaultMaxRadius
            let maxDifficulty = try positive(section, "radial_max_difficulty", default: PoincareGeometry.defaultMaxDifficulty,
                                             meaning: "the difficulty the radial loss puts at the centre")
            return PoincareGeometry(curvature: curvature, maxRadius: maxRadius, maxDifficulty: maxDifficulty)
        default:
            for key in poincareKeys where section.contains(key) {
                throw section.error(at: key, "\(key) is for latent_geometry \"poincare\"; this model's latent geometry is \"euclidean\"\(section.contains("latent_geometry") ? "" : " (the default)")")
            }
            return EuclideanGeometry()
        }
    }

    private static func positive(_ section: ConfigObject, _ key: String, default fallback: Double, meaning: String) throws(ConfigError) -> Double {
        guard let node = section.node(key) else { return fallback }
        let value = try node.number()
        if value <= 0 { throw node.error("must be greater than 0 (\(meaning)), got \(node.value.briefDescription)") }
        return value
    }
}
