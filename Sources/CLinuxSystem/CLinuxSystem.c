// The raw calls declared in CLinuxSystem.h: each captures errno at the call.

#define _GNU_SOURCE

#include "CLinuxSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int clinux_ioctl_none(int fd, unsigned long request) {
    int result = ioctl(fd, request);
    return result < 0 ? -errno : result;
}

int clinux_ioctl_value(int fd, unsigned long request, unsigned long value) {
    int result = ioctl(fd, request, value);
    return result < 0 ? -errno : result;
}

int clinux_ioctl_pointer(int fd, unsigned long request, void *argument) {
    int result = ioctl(fd, request, argument);
    return result < 0 ? -errno : result;
}

long clinux_pread(int fd, void *buffer, size_t count, int64_t offset) {
    ssize_t result = pread(fd, buffer, count, (off_t)offset);
    return result < 0 ? -(long)errno : (long)result;
}

long clinux_pwrite(int fd, const void *buffer, size_t count, int64_t offset) {
    ssize_t result = pwrite(fd, buffer, count, (off_t)offset);
    return result < 0 ? -(long)errno : (long)result;
}

int clinux_open_rdwr(const char *path) {
    int result = open(path, O_RDWR | O_CLOEXEC);
    return result < 0 ? -errno : result;
}

int clinux_open_path_nofollow(const char *path) {
    int result = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    return result < 0 ? -errno : result;
}

int clinux_fchown_handle(int fd, uint32_t uid, uint32_t gid) {
    return fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0 ? -errno : 0;
}

uint8_t clinux_mmio_read8(const volatile void *base, size_t offset) {
    return *(const volatile uint8_t *)((const volatile char *)base + offset);
}

uint16_t clinux_mmio_read16(const volatile void *base, size_t offset) {
    return *(const volatile uint16_t *)((const volatile char *)base + offset);
}

uint32_t clinux_mmio_read32(const volatile void *base, size_t offset) {
    return *(const volatile uint32_t *)((const volatile char *)base + offset);
}

uint64_t clinux_mmio_read64(const volatile void *base, size_t offset) {
    return *(const volatile uint64_t *)((const volatile char *)base + offset);
}

void clinux_mmio_write8(volatile void *base, size_t offset, uint8_t value) {
    *(volatile uint8_t *)((volatile char *)base + offset) = value;
}

void clinux_mmio_write16(volatile void *base, size_t offset, uint16_t value) {
    *(volatile uint16_t *)((volatile char *)base + offset) = value;
}

void clinux_mmio_write32(volatile void *base, size_t offset, uint32_t value) {
    *(volatile uint32_t *)((volatile char *)base + offset) = value;
}

void clinux_mmio_write64(volatile void *base, size_t offset, uint64_t value) {
    *(volatile uint64_t *)((volatile char *)base + offset) = value;
}

long clinux_getdents64(int fd, void *buffer, size_t count) {
    long result = syscall(SYS_getdents64, fd, buffer, count);
    return result < 0 ? -errno : result;
}

_Static_assert(__builtin_offsetof(struct clinux_dirent64, name) == 19, "linux_dirent64.d_name at 19");
