// CVFIO: our own declarations of the Linux VFIO and iommufd user ABI.
//
// Written from the facts in shared/reference/kernel-uapi.md (layouts as gcc
// lays them out on x86_64 against the 6.12 uapi), not copied from the kernel's
// headers. The system's <linux/vfio.h> is too old for iommufd and is never
// included here.
//
// Naming: structs and their fields carry the kernel's names, so code reads like
// the kernel documentation. Request numbers end in `_REQUEST` and flag/ID
// constants start with `CVFIO_`, so this header can share a translation unit
// with the kernel's own headers without macro clashes.
//
// Where a struct grew after 6.12 (bind, attach, detach, hw_info), the 6.12
// layout is declared: older kernels reject longer structs only if the extra
// bytes are non-zero, newer ones accept shorter structs down to their minimum.

#ifndef CVFIO_H
#define CVFIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

// MARK: - Request numbers

// Every VFIO and iommufd request is `_IO(';', nr)`: no direction, no size. The
// system's `_IO` gives the architecture's encoding (0x3B00 | nr on x86_64,
// arm64, riscv and s390; powerpc adds its own "none" direction bit).
#define CVFIO_IOCTL_TYPE ';'
#define CVFIO_VFIO_BASE 100

// VFIO, container fd.
static const unsigned long VFIO_GET_API_VERSION_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 0);
static const unsigned long VFIO_CHECK_EXTENSION_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 1);
static const unsigned long VFIO_SET_IOMMU_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 2);
// VFIO, group fd.
static const unsigned long VFIO_GROUP_GET_STATUS_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 3);
static const unsigned long VFIO_GROUP_SET_CONTAINER_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 4);
static const unsigned long VFIO_GROUP_UNSET_CONTAINER_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 5);
static const unsigned long VFIO_GROUP_GET_DEVICE_FD_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 6);
// VFIO, device fd.
static const unsigned long VFIO_DEVICE_GET_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 7);
static const unsigned long VFIO_DEVICE_GET_REGION_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 8);
static const unsigned long VFIO_DEVICE_GET_IRQ_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 9);
static const unsigned long VFIO_DEVICE_SET_IRQS_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 10);
static const unsigned long VFIO_DEVICE_RESET_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 11);
// Numbers 12 to 17 mean different things on a container and on a device fd.
static const unsigned long VFIO_IOMMU_GET_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 12);
static const unsigned long VFIO_DEVICE_GET_PCI_HOT_RESET_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 12);
static const unsigned long VFIO_IOMMU_MAP_DMA_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 13);
static const unsigned long VFIO_DEVICE_PCI_HOT_RESET_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 13);
static const unsigned long VFIO_IOMMU_UNMAP_DMA_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 14);
static const unsigned long VFIO_DEVICE_QUERY_GFX_PLANE_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 14);
static const unsigned long VFIO_DEVICE_GET_GFX_DMABUF_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 15);
static const unsigned long VFIO_DEVICE_IOEVENTFD_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 16);
static const unsigned long VFIO_IOMMU_DIRTY_PAGES_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 17);
static const unsigned long VFIO_DEVICE_FEATURE_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 17);
// VFIO, device cdev fd (6.6).
static const unsigned long VFIO_DEVICE_BIND_IOMMUFD_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 18);
static const unsigned long VFIO_DEVICE_ATTACH_IOMMUFD_PT_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 19);
static const unsigned long VFIO_DEVICE_DETACH_IOMMUFD_PT_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 20);
static const unsigned long VFIO_MIG_GET_PRECOPY_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, CVFIO_VFIO_BASE + 21);

// iommufd, /dev/iommu (commands from 0x80).
static const unsigned long IOMMU_DESTROY_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x80);
static const unsigned long IOMMU_IOAS_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x81);
static const unsigned long IOMMU_IOAS_ALLOW_IOVAS_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x82);
static const unsigned long IOMMU_IOAS_COPY_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x83);
static const unsigned long IOMMU_IOAS_IOVA_RANGES_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x84);
static const unsigned long IOMMU_IOAS_MAP_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x85);
static const unsigned long IOMMU_IOAS_UNMAP_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x86);
static const unsigned long IOMMU_OPTION_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x87);
static const unsigned long IOMMU_VFIO_IOAS_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x88);
static const unsigned long IOMMU_HWPT_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x89);
static const unsigned long IOMMU_GET_HW_INFO_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x8a);
static const unsigned long IOMMU_HWPT_SET_DIRTY_TRACKING_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x8b);
static const unsigned long IOMMU_HWPT_GET_DIRTY_BITMAP_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x8c);
static const unsigned long IOMMU_HWPT_INVALIDATE_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x8d);
static const unsigned long IOMMU_FAULT_QUEUE_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x8e);
static const unsigned long IOMMU_IOAS_MAP_FILE_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x8f);
static const unsigned long IOMMU_VIOMMU_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x90);
static const unsigned long IOMMU_VDEVICE_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x91);
static const unsigned long IOMMU_IOAS_CHANGE_PROCESS_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x92);
static const unsigned long IOMMU_VEVENTQ_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x93);
static const unsigned long IOMMU_HW_QUEUE_ALLOC_REQUEST = _IO(CVFIO_IOCTL_TYPE, 0x94);

// MARK: - VFIO constants

static const int32_t CVFIO_API_VERSION = 0;

// Extension and IOMMU type IDs (CHECK_EXTENSION, SET_IOMMU).
static const uint32_t CVFIO_TYPE1_IOMMU = 1;
static const uint32_t CVFIO_SPAPR_TCE_IOMMU = 2;
static const uint32_t CVFIO_TYPE1v2_IOMMU = 3;
static const uint32_t CVFIO_DMA_CC_IOMMU = 4;
static const uint32_t CVFIO_EEH = 5;
static const uint32_t CVFIO_TYPE1_NESTING_IOMMU = 6;
static const uint32_t CVFIO_SPAPR_TCE_v2_IOMMU = 7;
static const uint32_t CVFIO_NOIOMMU_IOMMU = 8;
static const uint32_t CVFIO_UNMAP_ALL = 9;
static const uint32_t CVFIO_UPDATE_VADDR = 10;

// vfio_group_status.flags
static const uint32_t CVFIO_GROUP_FLAGS_VIABLE = 1u << 0;
static const uint32_t CVFIO_GROUP_FLAGS_CONTAINER_SET = 1u << 1;

// vfio_device_info.flags
static const uint32_t CVFIO_DEVICE_FLAGS_RESET = 1u << 0;
static const uint32_t CVFIO_DEVICE_FLAGS_PCI = 1u << 1;
static const uint32_t CVFIO_DEVICE_FLAGS_PLATFORM = 1u << 2;
static const uint32_t CVFIO_DEVICE_FLAGS_AMBA = 1u << 3;
static const uint32_t CVFIO_DEVICE_FLAGS_CCW = 1u << 4;
static const uint32_t CVFIO_DEVICE_FLAGS_AP = 1u << 5;
static const uint32_t CVFIO_DEVICE_FLAGS_FSL_MC = 1u << 6;
static const uint32_t CVFIO_DEVICE_FLAGS_CAPS = 1u << 7;
static const uint32_t CVFIO_DEVICE_FLAGS_CDX = 1u << 8;

// Device capability IDs (1-4 are zPCI).
static const uint16_t CVFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP = 5;

// vfio_region_info.flags
static const uint32_t CVFIO_REGION_INFO_FLAG_READ = 1u << 0;
static const uint32_t CVFIO_REGION_INFO_FLAG_WRITE = 1u << 1;
static const uint32_t CVFIO_REGION_INFO_FLAG_MMAP = 1u << 2;
static const uint32_t CVFIO_REGION_INFO_FLAG_CAPS = 1u << 3;

// Region capability IDs.
static const uint16_t CVFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;
static const uint16_t CVFIO_REGION_INFO_CAP_TYPE = 2;
static const uint16_t CVFIO_REGION_INFO_CAP_MSIX_MAPPABLE = 3;

// vfio-pci region indexes.
static const uint32_t CVFIO_PCI_BAR0_REGION_INDEX = 0;
static const uint32_t CVFIO_PCI_BAR1_REGION_INDEX = 1;
static const uint32_t CVFIO_PCI_BAR2_REGION_INDEX = 2;
static const uint32_t CVFIO_PCI_BAR3_REGION_INDEX = 3;
static const uint32_t CVFIO_PCI_BAR4_REGION_INDEX = 4;
static const uint32_t CVFIO_PCI_BAR5_REGION_INDEX = 5;
static const uint32_t CVFIO_PCI_ROM_REGION_INDEX = 6;
static const uint32_t CVFIO_PCI_CONFIG_REGION_INDEX = 7;
static const uint32_t CVFIO_PCI_VGA_REGION_INDEX = 8;
static const uint32_t CVFIO_PCI_NUM_REGIONS = 9;

// vfio_irq_info.flags
static const uint32_t CVFIO_IRQ_INFO_EVENTFD = 1u << 0;
static const uint32_t CVFIO_IRQ_INFO_MASKABLE = 1u << 1;
static const uint32_t CVFIO_IRQ_INFO_AUTOMASKED = 1u << 2;
static const uint32_t CVFIO_IRQ_INFO_NORESIZE = 1u << 3;

// vfio-pci IRQ indexes.
static const uint32_t CVFIO_PCI_INTX_IRQ_INDEX = 0;
static const uint32_t CVFIO_PCI_MSI_IRQ_INDEX = 1;
static const uint32_t CVFIO_PCI_MSIX_IRQ_INDEX = 2;
static const uint32_t CVFIO_PCI_ERR_IRQ_INDEX = 3;
static const uint32_t CVFIO_PCI_REQ_IRQ_INDEX = 4;
static const uint32_t CVFIO_PCI_NUM_IRQS = 5;

// vfio_irq_set.flags
static const uint32_t CVFIO_IRQ_SET_DATA_NONE = 1u << 0;
static const uint32_t CVFIO_IRQ_SET_DATA_BOOL = 1u << 1;
static const uint32_t CVFIO_IRQ_SET_DATA_EVENTFD = 1u << 2;
static const uint32_t CVFIO_IRQ_SET_ACTION_MASK = 1u << 3;
static const uint32_t CVFIO_IRQ_SET_ACTION_UNMASK = 1u << 4;
static const uint32_t CVFIO_IRQ_SET_ACTION_TRIGGER = 1u << 5;

// vfio_pci_hot_reset_info.flags
static const uint32_t CVFIO_PCI_HOT_RESET_FLAG_DEV_ID = 1u << 0;
static const uint32_t CVFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED = 1u << 1;

// vfio_device_feature.flags
static const uint32_t CVFIO_DEVICE_FEATURE_MASK = 0xffff;
static const uint32_t CVFIO_DEVICE_FEATURE_GET = 1u << 16;
static const uint32_t CVFIO_DEVICE_FEATURE_SET = 1u << 17;
static const uint32_t CVFIO_DEVICE_FEATURE_PROBE = 1u << 18;

// vfio_iommu_type1_info.flags and its capability IDs.
static const uint32_t CVFIO_IOMMU_INFO_PGSIZES = 1u << 0;
static const uint32_t CVFIO_IOMMU_INFO_CAPS = 1u << 1;
static const uint16_t CVFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
static const uint16_t CVFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION = 2;
static const uint16_t CVFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;

// vfio_iommu_type1_dma_map.flags
static const uint32_t CVFIO_DMA_MAP_FLAG_READ = 1u << 0;
static const uint32_t CVFIO_DMA_MAP_FLAG_WRITE = 1u << 1;
static const uint32_t CVFIO_DMA_MAP_FLAG_VADDR = 1u << 2;

// vfio_iommu_type1_dma_unmap.flags
static const uint32_t CVFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 1u << 0;
static const uint32_t CVFIO_DMA_UNMAP_FLAG_ALL = 1u << 1;
static const uint32_t CVFIO_DMA_UNMAP_FLAG_VADDR = 1u << 2;

// vfio_iommu_type1_dirty_bitmap.flags
static const uint32_t CVFIO_IOMMU_DIRTY_PAGES_FLAG_START = 1u << 0;
static const uint32_t CVFIO_IOMMU_DIRTY_PAGES_FLAG_STOP = 1u << 1;
static const uint32_t CVFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP = 1u << 2;

// MARK: - VFIO structs

// The header of every entry in an INFO ioctl's capability chain. `next` is a
// byte offset from the start of the whole info buffer; 0 ends the chain.
struct vfio_info_cap_header {
    uint16_t id;
    uint16_t version;
    uint32_t next;
};

struct vfio_group_status {
    uint32_t argsz;
    uint32_t flags;
};

struct vfio_device_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t num_regions;
    uint32_t num_irqs;
    uint32_t cap_offset;
    uint32_t pad;
};

struct vfio_device_info_cap_pci_atomic_comp {
    struct vfio_info_cap_header header;
    uint32_t flags;
    uint32_t reserved;
};

struct vfio_region_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t cap_offset;
    uint64_t size;
    uint64_t offset;
};

struct vfio_region_sparse_mmap_area {
    uint64_t offset;
    uint64_t size;
};

struct vfio_region_info_cap_sparse_mmap {
    struct vfio_info_cap_header header;
    uint32_t nr_areas;
    uint32_t reserved;
    struct vfio_region_sparse_mmap_area areas[];
};

struct vfio_region_info_cap_type {
    struct vfio_info_cap_header header;
    uint32_t type;
    uint32_t subtype;
};

struct vfio_irq_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t count;
};

struct vfio_irq_set {
    uint32_t argsz;
    uint32_t flags;
    uint32_t index;
    uint32_t start;
    uint32_t count;
    uint8_t data[];
};

struct vfio_pci_dependent_device {
    union {
        uint32_t group_id;
        uint32_t devid;
    };
    uint16_t segment;
    uint8_t bus;
    uint8_t devfn;
};

struct vfio_pci_hot_reset_info {
    uint32_t argsz;
    uint32_t flags;
    uint32_t count;
    struct vfio_pci_dependent_device devices[];
};

struct vfio_pci_hot_reset {
    uint32_t argsz;
    uint32_t flags;
    uint32_t count;
    int32_t group_fds[];
};

struct vfio_device_feature {
    uint32_t argsz;
    uint32_t flags;
    uint8_t data[];
};

struct vfio_device_bind_iommufd {
    uint32_t argsz;
    uint32_t flags;
    int32_t iommufd;
    uint32_t out_devid;
};

struct vfio_device_attach_iommufd_pt {
    uint32_t argsz;
    uint32_t flags;
    uint32_t pt_id;
};

struct vfio_device_detach_iommufd_pt {
    uint32_t argsz;
    uint32_t flags;
};

struct vfio_iommu_type1_info {
    uint32_t argsz;
    uint32_t flags;
    uint64_t iova_pgsizes;
    uint32_t cap_offset;
    uint32_t pad;
};

struct vfio_iova_range {
    uint64_t start;
    uint64_t end; // inclusive
};

struct vfio_iommu_type1_info_cap_iova_range {
    struct vfio_info_cap_header header;
    uint32_t nr_iovas;
    uint32_t reserved;
    struct vfio_iova_range iova_ranges[];
};

struct vfio_iommu_type1_info_cap_migration {
    struct vfio_info_cap_header header;
    uint32_t flags;
    uint64_t pgsize_bitmap;
    uint64_t max_dirty_bitmap_size;
};

struct vfio_iommu_type1_info_dma_avail {
    struct vfio_info_cap_header header;
    uint32_t avail;
};

struct vfio_iommu_type1_dma_map {
    uint32_t argsz;
    uint32_t flags;
    uint64_t vaddr;
    uint64_t iova;
    uint64_t size;
};

struct vfio_bitmap {
    uint64_t pgsize;
    uint64_t size;
    uint64_t data; // user pointer
};

struct vfio_iommu_type1_dma_unmap {
    uint32_t argsz;
    uint32_t flags;
    uint64_t iova;
    uint64_t size;
    uint8_t data[];
};

struct vfio_iommu_type1_dirty_bitmap {
    uint32_t argsz;
    uint32_t flags;
    uint8_t data[];
};

struct vfio_iommu_type1_dirty_bitmap_get {
    uint64_t iova;
    uint64_t size;
    struct vfio_bitmap bitmap;
};

// MARK: - iommufd constants

// iommu_ioas_map / map_file / copy flags.
static const uint32_t CVFIO_IOMMU_IOAS_MAP_FIXED_IOVA = 1u << 0;
static const uint32_t CVFIO_IOMMU_IOAS_MAP_WRITEABLE = 1u << 1;
static const uint32_t CVFIO_IOMMU_IOAS_MAP_READABLE = 1u << 2;

// iommu_option
static const uint32_t CVFIO_IOMMU_OPTION_RLIMIT_MODE = 0;
static const uint32_t CVFIO_IOMMU_OPTION_HUGE_PAGES = 1;
static const uint16_t CVFIO_IOMMU_OPTION_OP_SET = 0;
static const uint16_t CVFIO_IOMMU_OPTION_OP_GET = 1;

// iommu_vfio_ioas.op
static const uint16_t CVFIO_IOMMU_VFIO_IOAS_GET = 0;
static const uint16_t CVFIO_IOMMU_VFIO_IOAS_SET = 1;
static const uint16_t CVFIO_IOMMU_VFIO_IOAS_CLEAR = 2;

// iommu_hwpt_alloc.flags and data types.
static const uint32_t CVFIO_IOMMU_HWPT_ALLOC_NEST_PARENT = 1u << 0;
static const uint32_t CVFIO_IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1u << 1;
static const uint32_t CVFIO_IOMMU_HWPT_FAULT_ID_VALID = 1u << 2;
static const uint32_t CVFIO_IOMMU_HWPT_ALLOC_PASID = 1u << 3;
static const uint32_t CVFIO_IOMMU_HWPT_DATA_NONE = 0;
static const uint32_t CVFIO_IOMMU_HWPT_DATA_VTD_S1 = 1;
static const uint32_t CVFIO_IOMMU_HWPT_DATA_ARM_SMMUV3 = 2;

// iommu_hw_info
static const uint32_t CVFIO_IOMMU_HW_INFO_TYPE_NONE = 0;
static const uint32_t CVFIO_IOMMU_HW_INFO_TYPE_INTEL_VTD = 1;
static const uint32_t CVFIO_IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2;
static const uint32_t CVFIO_IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3;
static const uint32_t CVFIO_IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 = 1u << 0;
static const uint64_t CVFIO_IOMMU_HW_CAP_DIRTY_TRACKING = 1ull << 0;
static const uint64_t CVFIO_IOMMU_HW_CAP_PCI_PASID_EXEC = 1ull << 1;
static const uint64_t CVFIO_IOMMU_HW_CAP_PCI_PASID_PRIV = 1ull << 2;

// Dirty tracking.
static const uint32_t CVFIO_IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1u << 0;
static const uint32_t CVFIO_IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1u << 0;

// MARK: - iommufd structs

struct iommu_destroy {
    uint32_t size;
    uint32_t id;
};

struct iommu_ioas_alloc {
    uint32_t size;
    uint32_t flags;
    uint32_t out_ioas_id;
};

struct iommu_iova_range {
    uint64_t start;
    uint64_t last; // inclusive
};

struct iommu_ioas_iova_ranges {
    uint32_t size;
    uint32_t ioas_id;
    uint32_t num_iovas;
    uint32_t __reserved;
    uint64_t allowed_iovas; // user pointer to iommu_iova_range[num_iovas]
    uint64_t out_iova_alignment;
};

struct iommu_ioas_allow_iovas {
    uint32_t size;
    uint32_t ioas_id;
    uint32_t num_iovas;
    uint32_t __reserved;
    uint64_t allowed_iovas; // user pointer to iommu_iova_range[num_iovas]
};

struct iommu_ioas_map {
    uint32_t size;
    uint32_t flags;
    uint32_t ioas_id;
    uint32_t __reserved;
    uint64_t user_va;
    uint64_t length;
    uint64_t iova;
};

struct iommu_ioas_map_file {
    uint32_t size;
    uint32_t flags;
    uint32_t ioas_id;
    int32_t fd;
    uint64_t start;
    uint64_t length;
    uint64_t iova;
};

struct iommu_ioas_copy {
    uint32_t size;
    uint32_t flags;
    uint32_t dst_ioas_id;
    uint32_t src_ioas_id;
    uint64_t length;
    uint64_t dst_iova;
    uint64_t src_iova;
};

struct iommu_ioas_unmap {
    uint32_t size;
    uint32_t ioas_id;
    uint64_t iova;
    uint64_t length;
};

struct iommu_option {
    uint32_t size;
    uint32_t option_id;
    uint16_t op;
    uint16_t __reserved;
    uint32_t object_id;
    uint64_t val64;
};

struct iommu_vfio_ioas {
    uint32_t size;
    uint32_t ioas_id;
    uint16_t op;
    uint16_t __reserved;
};

struct iommu_hwpt_alloc {
    uint32_t size;
    uint32_t flags;
    uint32_t dev_id;
    uint32_t pt_id;
    uint32_t out_hwpt_id;
    uint32_t __reserved;
    uint32_t data_type;
    uint32_t data_len;
    uint64_t data_uptr;
    uint32_t fault_id;
    uint32_t __reserved2;
};

struct iommu_hwpt_vtd_s1 {
    uint64_t flags;
    uint64_t pgtbl_addr;
    uint32_t addr_width;
    uint32_t __reserved;
};

struct iommu_hw_info {
    uint32_t size;
    uint32_t flags;
    uint32_t dev_id;
    uint32_t data_len;
    uint64_t data_uptr;
    uint32_t out_data_type;
    uint8_t out_max_pasid_log2;
    uint8_t __reserved[3];
    uint64_t out_capabilities;
};

struct iommu_hw_info_vtd {
    uint32_t flags;
    uint32_t __reserved;
    uint64_t cap_reg;
    uint64_t ecap_reg;
};

struct iommu_hw_info_arm_smmuv3 {
    uint32_t flags;
    uint32_t __reserved;
    uint32_t idr[6];
    uint32_t iidr;
    uint32_t aidr;
};

struct iommu_hwpt_set_dirty_tracking {
    uint32_t size;
    uint32_t flags;
    uint32_t hwpt_id;
    uint32_t __reserved;
};

struct iommu_hwpt_get_dirty_bitmap {
    uint32_t size;
    uint32_t hwpt_id;
    uint32_t flags;
    uint32_t __reserved;
    uint64_t iova;
    uint64_t length;
    uint64_t page_size;
    uint64_t data; // user pointer to a u64 bitmap
};

struct iommu_hwpt_invalidate {
    uint32_t size;
    uint32_t hwpt_id;
    uint64_t data_uptr;
    uint32_t data_type;
    uint32_t entry_len;
    uint32_t entry_num;
    uint32_t __reserved;
};

struct iommu_fault_alloc {
    uint32_t size;
    uint32_t flags;
    uint32_t out_fault_id;
    uint32_t out_fault_fd;
};

struct iommu_ioas_change_process {
    uint32_t size;
    uint32_t __reserved;
};

// MARK: - Loop devices (include/uapi/linux/loop.h)

// LOOP_GET_STATUS64 is one of the old plain request numbers, not _IOC-encoded.
static const unsigned long LOOP_GET_STATUS64_REQUEST = 0x4C05;

// struct loop_info64: lo_device is the st_dev of the backing file, kept by the
// kernel even when no path reaches that file any more (a lazy unmount).
struct cvfio_loop_info64 {
    uint64_t lo_device;
    uint64_t lo_inode;
    uint64_t lo_rdevice;
    uint64_t lo_offset;
    uint64_t lo_sizelimit;
    uint32_t lo_number;
    uint32_t lo_encrypt_type;
    uint32_t lo_encrypt_key_size;
    uint32_t lo_flags;
    uint8_t lo_file_name[64];
    uint8_t lo_crypt_name[64];
    uint8_t lo_encrypt_key[32];
    uint64_t lo_init[2];
};

#endif // CVFIO_H
