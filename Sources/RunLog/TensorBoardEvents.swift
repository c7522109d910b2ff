/// Encodes TensorBoard event records: TFRecord framing around serialised `Event` protos
/// (tensorboard/compat/proto/event.proto, summary.proto; ../shared/reference/tensorboard-format.md §1–4).
public enum TensorBoardEvents {
    /// One TFRecord: length (UInt64 LE), masked CRC of the length, the data, masked CRC of the data.
    public static func record(_ data: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { length.append(contentsOf: $0) }
        var result = length
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { result.append(contentsOf: $0) }
        result += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { result.append(contentsOf: $0) }
        return result
    }

    /// `Event{wall_time, step, file_version}`; the first record of every file.
    public static func fileVersionEvent(wallTime: Double) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        event.string(3, "brain.Event:2")
        return event.bytes
    }

    /// `Event{wall_time, step, summary{value{tag, simple_value}…}}`: scalars the way PyTorch's
    /// `add_scalar` writes them, which every TensorBoard loader reads.
    public static func scalarsEvent(wallTime: Double, step: Int64, scalars: [(tag: String, value: Float)]) -> [UInt8] {
        summaryEvent(wallTime: wallTime, step: step) { summary in
            for scalar in scalars {
                summary.message(1) { value in
                    value.string(1, scalar.tag)
                    value.float(2, scalar.value)
                }
            }
        }
    }

    /// An Event holding one Summary built by `body` (its Values are field 1).
    public static func summaryEvent(wallTime: Double, step: Int64, _ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var event = ProtobufWriter()
        event.double(1, wallTime)
        if step != 0 { event.integer(2, step) }
        event.message(5, body)
        return event.bytes
    }

    /// A Custom Scalars layout: categories of multiline charts, each chart a list of tag regexes.
    /// Written once per run at step 0 (tensorboard/plugins/custom_scalar/layout.proto).
    public static func customScalarsSummary(_ categories: [(title: String, charts: [(title: String, tags: [String])])]) -> (inout ProtobufWriter) -> Void {
        var layout = ProtobufWriter()
        for category in categories {
            layout.message(2) { c in
                c.string(1, category.title)
                for chart in category.charts {
                    c.message(2) { ch in
                        ch.string(1, chart.title)
                        ch.message(2) { multiline in for tag in chart.tags { multiline.string(1, tag) } }
                    }
                }
            }
        }
        let layoutBytes = layout.bytes
        return { summary in
            summary.message(1) { value in
                value.string(1, "custom_scalars__config__")
                value.message(8) { tensor in
                    tensor.integer(1, 7)  // DT_STRING
                    tensor.bytesField(2, [])  // an empty shape: rank 0
                    tensor.bytesField(8, layoutBytes)
                }
                value.message(9) { metadata in metadata.message(1) { plugin in plugin.string(1, "custom_scalars") } }
            }
        }
    }

    /// A hyperparameter value for the HParams dashboard.
    public enum HParamValue: Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)
    }

    static func hparamsValue(tag: String, content: [UInt8]) -> (inout ProtobufWriter) -> Void {
        { summary in
            summary.message(1) { value in
                value.string(1, tag)
                value.message(9) { metadata in
                    metadata.message(1) { plugin in
                        plugin.string(1, "hparams")
                        plugin.bytesField(2, content)
                    }
                }
            }
        }
    }

    /// `_hparams_/experiment`: the hyperparameters' names and types, and the metric tags to show.
    public static func hparamsExperimentSummary(hparams: [(name: String, value: HParamValue)], metrics: [String]) -> (inout ProtobufWriter) -> Void {
        var data = ProtobufWriter()
        data.message(2) { experiment in
            for (name, value) in hparams {
                experiment.message(4) { info in
                    info.string(1, name)
                    let type: Int64
                    switch value {
                    case .string: type = 1
                    case .bool: type = 2
                    case .number: type = 3
                    }
                    info.integer(4, type)
                }
            }
            for metric in metrics {
                experiment.message(5) { info in info.message(1) { name in name.string(2, metric) } }
            }
        }
        return hparamsValue(tag: "_hparams_/experiment", content: data.bytes)
    }

    /// `_hparams_/session_start_info`: this run's hyperparameter values.
    public static func hparamsSessionStartSummary(hparams: [(name: String, value: HParamValue)]) -> (inout ProtobufWriter) -> Void {
        var data = ProtobufWriter()
        data.message(3) { start in
            for (name, value) in hparams {
                start.message(1) { entry in
                    entry.string(1, name)
                    entry.message(2) { v in
                        switch value {
                        case .number(let number): v.double(2, number)
                        case .string(let text): v.string(3, text)
                        case .bool(let flag): v.integer(4, flag ? 1 : 0)
                        }
                    }
                }
            }
        }
        return hparamsValue(tag: "_hparams_/session_start_info", content: data.bytes)
    }

    /// `_hparams_/session_end_info` with status SUCCESS (1) or FAILURE (2).
    public static func hparamsSessionEndSummary(success: Bool) -> (inout ProtobufWriter) -> Void {
        var data = ProtobufWriter()
        data.message(4) { end in end.integer(1, success ? 1 : 2) }
        return hparamsValue(tag: "_hparams_/session_end_info", content: data.bytes)
    }
}
