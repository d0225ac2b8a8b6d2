/* The floor for `vfioadm list --json`: opens and reads the same sysfs files and
 * links of the same tree with the same calls as vfioadm (one read of up to a
 * page per attribute; a device's IDs, class and driver from its uevent; devices
 * opened from the open bus/pci/devices, a group's files as N/type from the open
 * iommu_groups, directories read with getdents64, pci.ids mapped),
 * single-threaded, and does nothing else. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static long bytes;

struct dirent64 {
    unsigned long long ino;
    long long off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* Calls `each` with the open directory `name` (under `dir`) and each of its
 * names but . and .. */
static void list(int dir, const char *name, void (*each)(int dir, const char *name, void *context),
                 void *context) {
    int fd = openat(dir, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    char buffer[16384] __attribute__((aligned(8)));
    long filled;
    while ((filled = syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0) {
        for (long offset = 0; offset < filled;) {
            struct dirent64 *entry = (struct dirent64 *)(buffer + offset);
            offset += entry->reclen;
            if (strcmp(entry->name, ".") == 0 || strcmp(entry->name, "..") == 0) continue;
            if (each) each(fd, entry->name, context);
        }
    }
    close(fd);
}

/* Reads an attribute into `out` (NUL-terminated); returns its length or -1. */
static ssize_t slurp_into(int dir, const char *name, char *out, size_t size) {
    int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, out, size - 1);
    close(fd);
    if (n < 0) return -1;
    out[n] = 0;
    bytes += n;
    return n;
}

static void slurp(int dir, const char *name) {
    char buf[4097];
    slurp_into(dir, name, buf, sizeof buf);
}

static int link_name(int dir, const char *name, char *out, size_t size) {
    ssize_t n = readlinkat(dir, name, out, size - 1);
    if (n < 0) return -1;
    out[n] = 0;
    return 0;
}

static void group(int groups, const char *name, void *context) {
    (void)context;
    char path[4096];
    snprintf(path, sizeof path, "%s/type", name);
    slurp(groups, path);
    snprintf(path, sizeof path, "%s/reserved_regions", name);
    slurp(groups, path);
    snprintf(path, sizeof path, "%s/devices", name);
    list(groups, path, NULL, NULL);
}

static void device(int devices, const char *name, void *context) {
    (void)context;
    static const char *attrs[] = {"revision", "driver_override", "numa_node"};
    char uevent[4097], target[4096];
    int fd = openat(devices, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    int has_driver = slurp_into(fd, "uevent", uevent, sizeof uevent) > 0 && strstr(uevent, "DRIVER=vfio");
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) slurp(fd, attrs[i]);
    link_name(fd, "iommu_group", target, sizeof target);
    link_name(fd, "physfn", target, sizeof target);
    char numvfs[4097];
    if (slurp_into(fd, "sriov_numvfs", numvfs, sizeof numvfs) >= 0) {
        for (int i = 0; i < atoi(numvfs); i++) {
            char vf[32];
            snprintf(vf, sizeof vf, "virtfn%d", i);
            link_name(fd, vf, target, sizeof target);
        }
    }
    int cfg = openat(fd, "config", O_RDONLY | O_CLOEXEC);
    if (cfg >= 0) {
        unsigned char header;
        if (pread(cfg, &header, 1, 0x0E) == 1) bytes++;
        close(cfg);
    }
    if (has_driver) list(fd, "vfio-dev", NULL, NULL);
    close(fd);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "";
    char path[4096];
    snprintf(path, sizeof path, "%s/sys/kernel/iommu_groups", root);
    list(AT_FDCWD, path, group, NULL);
    snprintf(path, sizeof path, "%s/sys/bus/pci/devices", root);
    list(AT_FDCWD, path, device, NULL);
    int ids = open("/usr/share/misc/pci.ids", O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (ids >= 0 && fstat(ids, &info) == 0 && info.st_size > 0) {
        const unsigned char *map = mmap(NULL, info.st_size, PROT_READ, MAP_PRIVATE, ids, 0);
        if (map != MAP_FAILED) {
            for (off_t i = 0; i < info.st_size; i += 4096) bytes += map[i] != 0;
            munmap((void *)map, info.st_size);
        }
        close(ids);
    }
    printf("%ld\n", bytes);
    return 0;
}
