/* The floor for `vfioadm list --json`: opens and reads the same sysfs files and
 * links of the same tree with the same calls (one read of up to a page per
 * attribute, as vfioadm does), single-threaded, and does nothing else. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long bytes;

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

static void list(const char *path, void (*each)(const char *dir, const char *name)) {
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (each) each(path, e->d_name);
    }
    closedir(d);
}

static void group(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    slurp(fd, "type");
    slurp(fd, "reserved_regions");
    int devices = openat(fd, "devices", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = devices >= 0 ? fdopendir(devices) : NULL;
    if (d) {
        while (readdir(d)) {}
        closedir(d);
    }
    close(fd);
}

static void device(const char *dir, const char *name) {
    static const char *attrs[] = {"vendor", "device", "subsystem_vendor", "subsystem_device", "class",
                                  "revision", "driver_override", "numa_node"};
    char path[4096], driver[4096], target[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) slurp(fd, attrs[i]);
    int has_driver = link_name(fd, "driver", driver, sizeof driver) == 0;
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
    if (has_driver && strstr(driver, "vfio")) {
        snprintf(path, sizeof path, "%s/%s/vfio-dev", dir, name);
        list(path, NULL);
    }
    close(fd);
}

int main(int argc, char **argv) {
    const char *root = argc > 1 ? argv[1] : "";
    char path[4096];
    snprintf(path, sizeof path, "%s/sys/kernel/iommu_groups", root);
    list(path, group);
    snprintf(path, sizeof path, "%s/sys/bus/pci/devices", root);
    list(path, device);
    int ids = open("/usr/share/misc/pci.ids", O_RDONLY | O_CLOEXEC);
    if (ids >= 0) {
        char buf[65536];
        ssize_t n;
        while ((n = read(ids, buf, sizeof buf)) > 0) bytes += n;
        close(ids);
    }
    printf("%ld\n", bytes);
    return 0;
}
