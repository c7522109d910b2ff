import Testing
@testable import Schedules

@Suite("TrainingProgress")
struct TrainingProgressTests {
    @Test("epoch e evaluated per epoch and batch 0 of epoch e evaluated per step are the same point")
    func epochAndBatchZeroAgree() {
        for epoch in [0, 1, 7, 99] {
            #expect(TrainingProgress.epoch(epoch, stepsPerEpoch: 13) == .batch(0, ofEpoch: epoch, stepsPerEpoch: 13))
        }
    }

    @Test("batch b of K in epoch e is t = e + b/K at step e·K + b")
    func batchProgress() {
        let progress = TrainingProgress.batch(3, ofEpoch: 2, stepsPerEpoch: 4)
        #expect(progress.epoch == 2.75)  // 2 + 3/4
        #expect(progress.step == 11)  // 2·4 + 3
        #expect(progress.epochIndex == 2)
    }

    @Test("shifting moves epochs and steps together")
    func shifting() {
        let progress = TrainingProgress.batch(2, ofEpoch: 10, stepsPerEpoch: 4)  // t = 10.5, step 42
        #expect(progress.shifted(byEpochs: 4) == TrainingProgress(epoch: 6.5, step: 26, stepsPerEpoch: 4))
        #expect(progress.shifted(bySteps: 6) == TrainingProgress(epoch: 9, step: 36, stepsPerEpoch: 4))  // 10.5 − 6/4
    }
}
