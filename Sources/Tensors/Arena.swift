/// Scratch buffers for one training step, handed out in order and reused by the next step in the same order.
///
/// A training step builds the same graph every time, so the k-th buffer it asks for has the same size each
/// step: after the first step the arena allocates nothing (ARCHITECTURE.md, principle 6). `allocations`
/// counts real allocations, so tests can show that a steady state allocates none.
public final class Arena<Element> {
    private var slots: [(pointer: UnsafeMutablePointer<Element>, capacity: Int)] = []
    private var cursor = 0
    /// How many times the arena has allocated memory (new slots and regrown slots).
    public private(set) var allocations = 0

    public init() {}

    /// A buffer of at least `count` elements, valid until the next `reset()`. Its contents are unspecified.
    public func take(_ count: Int) -> UnsafeMutablePointer<Element> {
        let needed = max(1, count)
        if cursor < slots.count {
            if slots[cursor].capacity < needed {
                slots[cursor].pointer.deallocate()
                slots[cursor] = (.allocate(capacity: needed), needed)
                allocations += 1
            }
        } else {
            slots.append((.allocate(capacity: needed), needed))
            allocations += 1
        }
        defer { cursor += 1 }
        return slots[cursor].pointer
    }

    /// Makes every buffer available again, in the same order.
    public func reset() { cursor = 0 }

    deinit {
        for slot in slots { slot.pointer.deallocate() }
    }
}
