// The C twin of vfioadm-dma-bench (Sources/DMABench): the same ioctls in the
// same order on the same device, timed the same way, so the two can be
// compared in one guest run. Uses vfioadm's own ABI header (Sources/CVFIO).
//
//   dma-bench-c type1v2|iommufd DDDD:BB:DD.F [4k|2m|huge]
//
// Rows 4k, 2m (1 GiB of 4 KiB pages mapped in 4 KiB and in 2 MiB steps) and
// huge (1 GiB of 2 MiB huge pages as one mapping), or the one row named; prints
// "ROW PART map NS unmap NS" per pass and part: 4k in 16 parts of 64 MiB, once;
// 2m whole, 8 passes; huge whole, 32 passes.
#define _GNU_SOURCE
#include "CVFIO.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define GIB (1ull << 30)
#define IOVA_BASE (1ull << 32)

static void die(const char *what) { fprintf(stderr, "dma-bench-c: %s: %s\n", what, strerror(errno)); exit(1); }

static unsigned long long now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (unsigned long long)t.tv_sec * 1000000000ull + (unsigned long long)t.tv_nsec;
}

static int container_fd = -1, iommufd = -1;
static uint32_t ioas_id;

static void open_type1v2(const char *bdf) {
    char link[256], target[256];
    snprintf(link, sizeof link, "/sys/bus/pci/devices/%s/iommu_group", bdf);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0) die(link);
    target[n] = 0;
    char node[64];
    snprintf(node, sizeof node, "/dev/vfio/%s", basename(target));
    int group = open(node, O_RDWR | O_CLOEXEC);
    if (group < 0) die(node);
    container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
    if (container_fd < 0) die("/dev/vfio/vfio");
    if (ioctl(group, VFIO_GROUP_SET_CONTAINER_REQUEST, &container_fd) < 0) die("VFIO_GROUP_SET_CONTAINER");
    if (ioctl(container_fd, VFIO_SET_IOMMU_REQUEST, (unsigned long)CVFIO_TYPE1v2_IOMMU) < 0) die("VFIO_SET_IOMMU");
    if (ioctl(group, VFIO_GROUP_GET_DEVICE_FD_REQUEST, bdf) < 0) die("VFIO_GROUP_GET_DEVICE_FD");
}

static void open_iommufd(const char *bdf) {
    char dir[256], node[300];
    snprintf(dir, sizeof dir, "/sys/bus/pci/devices/%s/vfio-dev", bdf);
    DIR *d = opendir(dir);
    if (!d) die(dir);
    struct dirent *e;
    node[0] = 0;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "vfio", 4) == 0) snprintf(node, sizeof node, "/dev/vfio/devices/%s", e->d_name);
    closedir(d);
    int device = open(node, O_RDWR | O_CLOEXEC);
    if (device < 0) die(node);
    iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
    if (iommufd < 0) die("/dev/iommu");
    struct vfio_device_bind_iommufd bind = { .argsz = sizeof bind, .iommufd = iommufd };
    if (ioctl(device, VFIO_DEVICE_BIND_IOMMUFD_REQUEST, &bind) < 0) die("VFIO_DEVICE_BIND_IOMMUFD");
    struct iommu_ioas_alloc alloc = { .size = sizeof alloc };
    if (ioctl(iommufd, IOMMU_IOAS_ALLOC_REQUEST, &alloc) < 0) die("IOMMU_IOAS_ALLOC");
    ioas_id = alloc.out_ioas_id;
    struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof attach, .pt_id = ioas_id };
    if (ioctl(device, VFIO_DEVICE_ATTACH_IOMMUFD_PT_REQUEST, &attach) < 0) die("VFIO_DEVICE_ATTACH_IOMMUFD_PT");
}

static void map(void *va, uint64_t iova, uint64_t size) {
    if (container_fd >= 0) {
        struct vfio_iommu_type1_dma_map m = { .argsz = sizeof m, .flags = CVFIO_DMA_MAP_FLAG_READ | CVFIO_DMA_MAP_FLAG_WRITE,
                                              .vaddr = (uint64_t)(uintptr_t)va, .iova = iova, .size = size };
        if (ioctl(container_fd, VFIO_IOMMU_MAP_DMA_REQUEST, &m) < 0) die("VFIO_IOMMU_MAP_DMA");
    } else {
        struct iommu_ioas_map m = { .size = sizeof m, .ioas_id = ioas_id, .user_va = (uint64_t)(uintptr_t)va,
                                    .length = size, .iova = iova,
                                    .flags = CVFIO_IOMMU_IOAS_MAP_FIXED_IOVA | CVFIO_IOMMU_IOAS_MAP_READABLE
                                        | CVFIO_IOMMU_IOAS_MAP_WRITEABLE };
        if (ioctl(iommufd, IOMMU_IOAS_MAP_REQUEST, &m) < 0) die("IOMMU_IOAS_MAP");
    }
}

static void unmap(uint64_t iova, uint64_t size) {
    if (container_fd >= 0) {
        struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof u, .iova = iova, .size = size };
        if (ioctl(container_fd, VFIO_IOMMU_UNMAP_DMA_REQUEST, &u) < 0) die("VFIO_IOMMU_UNMAP_DMA");
    } else {
        struct iommu_ioas_unmap u = { .size = sizeof u, .ioas_id = ioas_id, .iova = iova, .length = size };
        if (ioctl(iommufd, IOMMU_IOAS_UNMAP_REQUEST, &u) < 0) die("IOMMU_IOAS_UNMAP");
    }
}

/* Maps the whole buffer in `step`-sized pieces at consecutive IOVAs, then unmaps
 * them in order, `repeats` times; prints "NAME PART map NS unmap NS" for each
 * of the `parts` equal parts of every pass, so the best of each part can be
 * taken over passes and runs. */
static void row(const char *name, char *buffer, uint64_t step, int repeats, int parts) {
    uint64_t part = GIB / parts;
    unsigned long long map_ns[64], unmap_ns[64];
    for (int repeat = 0; repeat < repeats; repeat++) {
        for (int p = 0; p < parts; p++) {
            unsigned long long start = now();
            for (uint64_t offset = p * part; offset < (p + 1) * part; offset += step)
                map(buffer + offset, IOVA_BASE + offset, step);
            map_ns[p] = now() - start;
        }
        for (int p = 0; p < parts; p++) {
            unsigned long long start = now();
            for (uint64_t offset = p * part; offset < (p + 1) * part; offset += step) unmap(IOVA_BASE + offset, step);
            unmap_ns[p] = now() - start;
        }
        for (int p = 0; p < parts; p++) printf("%s %d map %llu unmap %llu\n", name, p, map_ns[p], unmap_ns[p]);
    }
    fflush(stdout);
}

static char *buffer(int flags) {
    char *p = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
    if (p == MAP_FAILED) die("mmap 1 GiB");
    memset(p, 1, GIB);  // fault every page in before timing
    return p;
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) { fprintf(stderr, "usage: dma-bench-c type1v2|iommufd BDF [4k|2m|huge]\n"); return 2; }
    const char *only = argc == 4 ? argv[3] : NULL;
    if (only && strcmp(only, "4k") && strcmp(only, "2m") && strcmp(only, "huge")) {
        fprintf(stderr, "dma-bench-c: unknown row %s\n", only);
        return 2;
    }
    if (strcmp(argv[1], "type1v2") == 0) open_type1v2(argv[2]);
    else if (strcmp(argv[1], "iommufd") == 0) open_iommufd(argv[2]);
    else { fprintf(stderr, "dma-bench-c: unknown mode %s\n", argv[1]); return 2; }
    if (!only || strcmp(only, "huge") != 0) {
        char *pages = buffer(0);
        if (!only || strcmp(only, "4k") == 0) row("4k", pages, 4096, 1, 16);
        if (!only || strcmp(only, "2m") == 0) row("2m", pages, 2u << 20, 8, 1);
        munmap(pages, GIB);
    }
    if (!only || strcmp(only, "huge") == 0) {
        char *huge = buffer(MAP_HUGETLB | (21 << MAP_HUGE_SHIFT));
        row("huge", huge, GIB, 32, 1);
    }
    return 0;
}
