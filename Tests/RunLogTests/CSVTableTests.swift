import Testing
@testable import RunLog

@Suite("CSVTable")
struct CSVTableTests {
    @Test("RFC 4180: fields with commas, quotes or line breaks are quoted, quotes doubled")
    func quoting() {
        let table = CSVTable(header: ["epoch", "note"], rows: [["0", "plain"], ["1", "a,b"], ["2", "say \"hi\""], ["3", "two\nlines"]])
        #expect(table.text == "epoch,note\n0,plain\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n")
    }
}
