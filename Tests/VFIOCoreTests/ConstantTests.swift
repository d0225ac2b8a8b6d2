import CVFIO
import Testing

/// Flag and ID values against shared/reference/kernel-uapi.md.
@Suite("ABI constants")
struct ConstantTests {
    static let table: [Expectation] = [
        // Extension / IOMMU type IDs.
        Expectation(name: "TYPE1_IOMMU", actual: Int(CVFIO_TYPE1_IOMMU), expected: 1),
        Expectation(name: "SPAPR_TCE_IOMMU", actual: Int(CVFIO_SPAPR_TCE_IOMMU), expected: 2),
        Expectation(name: "TYPE1v2_IOMMU", actual: Int(CVFIO_TYPE1v2_IOMMU), expected: 3),
        Expectation(name: "DMA_CC_IOMMU", actual: Int(CVFIO_DMA_CC_IOMMU), expected: 4),
        Expectation(name: "EEH", actual: Int(CVFIO_EEH), expected: 5),
        Expectation(name: "TYPE1_NESTING_IOMMU", actual: Int(CVFIO_TYPE1_NESTING_IOMMU), expected: 6),
        Expectation(name: "SPAPR_TCE_v2_IOMMU", actual: Int(CVFIO_SPAPR_TCE_v2_IOMMU), expected: 7),
        Expectation(name: "NOIOMMU_IOMMU", actual: Int(CVFIO_NOIOMMU_IOMMU), expected: 8),
        Expectation(name: "UNMAP_ALL", actual: Int(CVFIO_UNMAP_ALL), expected: 9),
        Expectation(name: "UPDATE_VADDR", actual: Int(CVFIO_UPDATE_VADDR), expected: 10),
        // Group status.
        Expectation(name: "GROUP_FLAGS_VIABLE", actual: Int(CVFIO_GROUP_FLAGS_VIABLE), expected: 1),
        Expectation(name: "GROUP_FLAGS_CONTAINER_SET", actual: Int(CVFIO_GROUP_FLAGS_CONTAINER_SET), expected: 2),
        // Device info.
        Expectation(name: "DEVICE_FLAGS_RESET", actual: Int(CVFIO_DEVICE_FLAGS_RESET), expected: 1),
        Expectation(name: "DEVICE_FLAGS_PCI", actual: Int(CVFIO_DEVICE_FLAGS_PCI), expected: 2),
        Expectation(name: "DEVICE_FLAGS_PLATFORM", actual: Int(CVFIO_DEVICE_FLAGS_PLATFORM), expected: 4),
        Expectation(name: "DEVICE_FLAGS_AMBA", actual: Int(CVFIO_DEVICE_FLAGS_AMBA), expected: 8),
        Expectation(name: "DEVICE_FLAGS_CCW", actual: Int(CVFIO_DEVICE_FLAGS_CCW), expected: 0x10),
        Expectation(name: "DEVICE_FLAGS_AP", actual: Int(CVFIO_DEVICE_FLAGS_AP), expected: 0x20),
        Expectation(name: "DEVICE_FLAGS_FSL_MC", actual: Int(CVFIO_DEVICE_FLAGS_FSL_MC), expected: 0x40),
        Expectation(name: "DEVICE_FLAGS_CAPS", actual: Int(CVFIO_DEVICE_FLAGS_CAPS), expected: 0x80),
        Expectation(name: "DEVICE_FLAGS_CDX", actual: Int(CVFIO_DEVICE_FLAGS_CDX), expected: 0x100),
        Expectation(name: "DEVICE_INFO_CAP_PCI_ATOMIC_COMP", actual: Int(CVFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP), expected: 5),
        // Regions.
        Expectation(name: "REGION_INFO_FLAG_READ", actual: Int(CVFIO_REGION_INFO_FLAG_READ), expected: 1),
        Expectation(name: "REGION_INFO_FLAG_WRITE", actual: Int(CVFIO_REGION_INFO_FLAG_WRITE), expected: 2),
        Expectation(name: "REGION_INFO_FLAG_MMAP", actual: Int(CVFIO_REGION_INFO_FLAG_MMAP), expected: 4),
        Expectation(name: "REGION_INFO_FLAG_CAPS", actual: Int(CVFIO_REGION_INFO_FLAG_CAPS), expected: 8),
        Expectation(name: "REGION_INFO_CAP_SPARSE_MMAP", actual: Int(CVFIO_REGION_INFO_CAP_SPARSE_MMAP), expected: 1),
        Expectation(name: "REGION_INFO_CAP_TYPE", actual: Int(CVFIO_REGION_INFO_CAP_TYPE), expected: 2),
        Expectation(name: "REGION_INFO_CAP_MSIX_MAPPABLE", actual: Int(CVFIO_REGION_INFO_CAP_MSIX_MAPPABLE), expected: 3),
        Expectation(name: "PCI_ROM_REGION_INDEX", actual: Int(CVFIO_PCI_ROM_REGION_INDEX), expected: 6),
        Expectation(name: "PCI_CONFIG_REGION_INDEX", actual: Int(CVFIO_PCI_CONFIG_REGION_INDEX), expected: 7),
        Expectation(name: "PCI_VGA_REGION_INDEX", actual: Int(CVFIO_PCI_VGA_REGION_INDEX), expected: 8),
        Expectation(name: "PCI_NUM_REGIONS", actual: Int(CVFIO_PCI_NUM_REGIONS), expected: 9),
        // IRQs.
        Expectation(name: "IRQ_INFO_EVENTFD", actual: Int(CVFIO_IRQ_INFO_EVENTFD), expected: 1),
        Expectation(name: "IRQ_INFO_MASKABLE", actual: Int(CVFIO_IRQ_INFO_MASKABLE), expected: 2),
        Expectation(name: "IRQ_INFO_AUTOMASKED", actual: Int(CVFIO_IRQ_INFO_AUTOMASKED), expected: 4),
        Expectation(name: "IRQ_INFO_NORESIZE", actual: Int(CVFIO_IRQ_INFO_NORESIZE), expected: 8),
        Expectation(name: "PCI_MSIX_IRQ_INDEX", actual: Int(CVFIO_PCI_MSIX_IRQ_INDEX), expected: 2),
        Expectation(name: "PCI_REQ_IRQ_INDEX", actual: Int(CVFIO_PCI_REQ_IRQ_INDEX), expected: 4),
        Expectation(name: "PCI_NUM_IRQS", actual: Int(CVFIO_PCI_NUM_IRQS), expected: 5),
        Expectation(name: "IRQ_SET_ACTION_TRIGGER", actual: Int(CVFIO_IRQ_SET_ACTION_TRIGGER), expected: 0x20),
        // Type1.
        Expectation(name: "IOMMU_INFO_PGSIZES", actual: Int(CVFIO_IOMMU_INFO_PGSIZES), expected: 1),
        Expectation(name: "IOMMU_INFO_CAPS", actual: Int(CVFIO_IOMMU_INFO_CAPS), expected: 2),
        Expectation(name: "TYPE1_INFO_CAP_IOVA_RANGE", actual: Int(CVFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE), expected: 1),
        Expectation(name: "TYPE1_INFO_CAP_MIGRATION", actual: Int(CVFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION), expected: 2),
        Expectation(name: "TYPE1_INFO_DMA_AVAIL", actual: Int(CVFIO_IOMMU_TYPE1_INFO_DMA_AVAIL), expected: 3),
        Expectation(name: "DMA_MAP_FLAG_READ", actual: Int(CVFIO_DMA_MAP_FLAG_READ), expected: 1),
        Expectation(name: "DMA_MAP_FLAG_WRITE", actual: Int(CVFIO_DMA_MAP_FLAG_WRITE), expected: 2),
        Expectation(name: "DMA_MAP_FLAG_VADDR", actual: Int(CVFIO_DMA_MAP_FLAG_VADDR), expected: 4),
        Expectation(name: "DMA_UNMAP_FLAG_GET_DIRTY_BITMAP", actual: Int(CVFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP), expected: 1),
        Expectation(name: "DMA_UNMAP_FLAG_ALL", actual: Int(CVFIO_DMA_UNMAP_FLAG_ALL), expected: 2),
        Expectation(name: "DMA_UNMAP_FLAG_VADDR", actual: Int(CVFIO_DMA_UNMAP_FLAG_VADDR), expected: 4),
        // iommufd.
        Expectation(name: "IOAS_MAP_FIXED_IOVA", actual: Int(CVFIO_IOMMU_IOAS_MAP_FIXED_IOVA), expected: 1),
        Expectation(name: "IOAS_MAP_WRITEABLE", actual: Int(CVFIO_IOMMU_IOAS_MAP_WRITEABLE), expected: 2),
        Expectation(name: "IOAS_MAP_READABLE", actual: Int(CVFIO_IOMMU_IOAS_MAP_READABLE), expected: 4),
        Expectation(name: "OPTION_RLIMIT_MODE", actual: Int(CVFIO_IOMMU_OPTION_RLIMIT_MODE), expected: 0),
        Expectation(name: "OPTION_HUGE_PAGES", actual: Int(CVFIO_IOMMU_OPTION_HUGE_PAGES), expected: 1),
        Expectation(name: "OPTION_OP_SET", actual: Int(CVFIO_IOMMU_OPTION_OP_SET), expected: 0),
        Expectation(name: "OPTION_OP_GET", actual: Int(CVFIO_IOMMU_OPTION_OP_GET), expected: 1),
        Expectation(name: "VFIO_IOAS_GET", actual: Int(CVFIO_IOMMU_VFIO_IOAS_GET), expected: 0),
        Expectation(name: "VFIO_IOAS_SET", actual: Int(CVFIO_IOMMU_VFIO_IOAS_SET), expected: 1),
        Expectation(name: "VFIO_IOAS_CLEAR", actual: Int(CVFIO_IOMMU_VFIO_IOAS_CLEAR), expected: 2),
        Expectation(name: "HWPT_ALLOC_NEST_PARENT", actual: Int(CVFIO_IOMMU_HWPT_ALLOC_NEST_PARENT), expected: 1),
        Expectation(name: "HWPT_ALLOC_DIRTY_TRACKING", actual: Int(CVFIO_IOMMU_HWPT_ALLOC_DIRTY_TRACKING), expected: 2),
        Expectation(name: "HWPT_FAULT_ID_VALID", actual: Int(CVFIO_IOMMU_HWPT_FAULT_ID_VALID), expected: 4),
        Expectation(name: "HWPT_ALLOC_PASID", actual: Int(CVFIO_IOMMU_HWPT_ALLOC_PASID), expected: 8),
        Expectation(name: "HWPT_DATA_VTD_S1", actual: Int(CVFIO_IOMMU_HWPT_DATA_VTD_S1), expected: 1),
        Expectation(name: "HWPT_DATA_ARM_SMMUV3", actual: Int(CVFIO_IOMMU_HWPT_DATA_ARM_SMMUV3), expected: 2),
        Expectation(name: "HW_INFO_TYPE_INTEL_VTD", actual: Int(CVFIO_IOMMU_HW_INFO_TYPE_INTEL_VTD), expected: 1),
        Expectation(name: "HW_INFO_TYPE_ARM_SMMUV3", actual: Int(CVFIO_IOMMU_HW_INFO_TYPE_ARM_SMMUV3), expected: 2),
        Expectation(name: "HW_INFO_TYPE_TEGRA241_CMDQV", actual: Int(CVFIO_IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV), expected: 3),
        Expectation(name: "HW_CAP_DIRTY_TRACKING", actual: Int(CVFIO_IOMMU_HW_CAP_DIRTY_TRACKING), expected: 1),
        Expectation(name: "HW_CAP_PCI_PASID_EXEC", actual: Int(CVFIO_IOMMU_HW_CAP_PCI_PASID_EXEC), expected: 2),
        Expectation(name: "HW_CAP_PCI_PASID_PRIV", actual: Int(CVFIO_IOMMU_HW_CAP_PCI_PASID_PRIV), expected: 4),
    ]

    @Test(arguments: table)
    func constant(_ entry: Expectation) {
        #expect(entry.actual == entry.expected, "\(entry.name)")
    }

    @Test func apiVersionIsZero() {
        #expect(CVFIO_API_VERSION == 0)
    }
}
