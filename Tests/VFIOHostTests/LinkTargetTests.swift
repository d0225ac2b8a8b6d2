import Testing
@testable import VFIOHost

/// The rule that keeps a support bundle's links inside it.
@Suite struct LinkTargetTests {
    @Test(arguments: [
        ("../../../devices/pci0000:00/0000:00:01.0", 3, true),
        ("../../../devices/pci0000:00/0000:00:01.0", 2, false),
        ("usr/lib", 0, true),
        ("4711", 1, true),
        ("/usr/lib", 5, false),
        ("a/../../b", 5, false),
        ("./a", 1, false),
        ("a/./b", 1, false),
        ("..", 1, true),
        ("", 1, false),
    ] as [(String, Int, Bool)])
    func containedTargets(target: String, depth: Int, contained: Bool) {
        #expect(LinkTarget.isContained(target, depth: depth) == contained)
    }

    @Test(arguments: [
        ("/usr/lib", [], "usr/lib"),
        ("/usr/lib", ["etc", "x"], "../../usr/lib"),
        ("../../../../../etc", ["sys", "class"], "../../etc"),
        ("a/../../b", ["sys", "bus"], "../b"),
        (".", ["sys", "bus"], "../bus"),
        ("/sys/bus/pci", ["sys", "bus"], "pci"),
    ] as [(String, [Substring], String)])
    func rewrittenTargetsStayInside(target: String, folder: [Substring], stored: String) {
        let rewritten = LinkTarget.contained(target, folder: folder)
        #expect(rewritten == stored)
        #expect(LinkTarget.isContained(stored, depth: folder.count))
    }

    @Test func aLinkAtTheTopToTheTopIsDropped() {
        #expect(LinkTarget.contained("/", folder: []) == nil)
    }
}
