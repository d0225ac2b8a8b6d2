import VFIOCore
import VFIOSysfs

/// Sets a physical function's VF count the safe way: autoprobe off first, so
/// no host driver grabs the new VFs as they appear; through 0 when changing a
/// non-zero count (the kernel refuses otherwise); never while a VF is held by
/// vfioadm or in use.
public struct VFCount: Sendable {
    let paths: HostPaths
    let writer: any AttributeWriter
    let scan: HazardScan

    public init(paths: HostPaths, writer: any AttributeWriter = KernelAttributeWriter(), scan: HazardScan? = nil) {
        self.paths = paths
        self.writer = writer
        self.scan = scan ?? HazardScan(paths: paths)
    }

    /// The writes that take `pf` to `count` VFs (none when it has them already).
    ///
    /// The corresponding files are `sriov_drivers_autoprobe` and `sriov_numvfs`.
    public func plan(_ pf: PhysicalFunction, count: Int) throws(ClaimError) -> [SysfsWrite] {
        guard (0...pf.totalVFs).contains(count) else {
            throw ClaimError(.usage, code: "bad-vf-count",
                             "\(pf.address) can have 0 to \(pf.totalVFs) VFs (sriov_totalvfs), not \(count)",
                             path: paths.root.device(pf.address) + "/sriov_totalvfs")
        }
        guard count != pf.numVFs else { return [] }
        let directory = paths.root.device(pf.address)
        var writes: [SysfsWrite] = []
        if pf.driversAutoprobe != false, count > 0 {
            writes.append(SysfsWrite(device: pf.address, path: directory + "/sriov_drivers_autoprobe", value: "0"))
        }
        if pf.numVFs > 0 { writes.append(SysfsWrite(device: pf.address, path: directory + "/sriov_numvfs", value: "0")) }
        if count > 0 { writes.append(SysfsWrite(device: pf.address, path: directory + "/sriov_numvfs", value: "\(count)")) }
        return writes
    }

    /// Why the current VFs cannot go away: held by vfioadm, or in use (every
    /// hazard a claim of their groups would find).
    public func blockers(_ pf: PhysicalFunction) throws(ClaimError) -> [Hazard] {
        let reader = SysfsReader(root: paths.root)
        let store = JournalStore(paths: paths)
        let planner = ClaimPlanner(paths: paths, choice: .named(DriverChoice.vfioPCI))
        var hazards: [Hazard] = []
        for group in Set(pf.vfs.compactMap(\.group)).sorted() where group != pf.group {
            if try store.load(group) != nil {
                hazards.append(Hazard(.openNode, device: nil, "group \(group) of a VF of \(pf.address) is held by vfioadm",
                                      fix: "vfioadm release \(group) first", evidence: [.init(paths.journal(group), "held")]))
                continue
            }
            let members = reader.group(group)
            if let plan = try? planner.plan(members) { hazards += scan.hazards(members, plan: plan) }
            // A VF already on vfio-pci plans no write, so the scan leaves out its open VFIO nodes: a VMM using it.
            if members.devices.allSatisfy({ $0.driver?.isVFIO == true }) {
                hazards += OpenNodes.hazards(members, paths: paths) { "stop \($0) first" }
            }
        }
        return hazards
    }

    /// Makes the writes in order; the first that fails stops it with the file and the errno.
    public func apply(_ writes: [SysfsWrite]) throws(ClaimError) {
        _ = try writer.performAll(writes, probe: paths.root.driversProbe)
    }
}
