// The raw calls declared in CLinuxSystem.h: each captures errno at the call.

#define _GNU_SOURCE

#include "CLinuxSystem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

int clinux_open_path_nofollow(const char *path) {
    int result = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    return result < 0 ? -errno : result;
}

int clinux_fchown_handle(int fd, uint32_t uid, uint32_t gid) {
    return fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0 ? -errno : 0;
}

int clinux_openat(int directory, const char *path, int flags, unsigned mode) {
    int result = openat(directory, path, flags, (mode_t)mode);
    return result < 0 ? -errno : result;
}

long clinux_read(int fd, void *buffer, size_t count) {
    ssize_t result = read(fd, buffer, count);
    return result < 0 ? -(long)errno : (long)result;
}

long clinux_write(int fd, const void *buffer, size_t count) {
    ssize_t result = write(fd, buffer, count);
    return result < 0 ? -(long)errno : (long)result;
}

int clinux_fsync(int fd) {
    return fsync(fd) < 0 ? -errno : 0;
}

int clinux_flock(int fd, int operation) {
    return flock(fd, operation) < 0 ? -errno : 0;
}

int clinux_rename(const char *from, const char *to) {
    return rename(from, to) < 0 ? -errno : 0;
}

int clinux_unlink(const char *path) {
    return unlink(path) < 0 ? -errno : 0;
}

int clinux_mkdir(const char *path, unsigned mode) {
    return mkdir(path, (mode_t)mode) < 0 ? -errno : 0;
}

int clinux_rmdir(const char *path) {
    return rmdir(path) < 0 ? -errno : 0;
}

int clinux_symlink(const char *target, const char *path) {
    return symlink(target, path) < 0 ? -errno : 0;
}

int clinux_chmod(const char *path, unsigned mode) {
    return chmod(path, (mode_t)mode) < 0 ? -errno : 0;
}

int clinux_fstatat(int directory, const char *path, void *info, int flags) {
    return fstatat(directory, path, (struct stat *)info, flags) < 0 ? -errno : 0;
}

int clinux_fstat(int fd, void *info) {
    return fstat(fd, (struct stat *)info) < 0 ? -errno : 0;
}

int clinux_mkdtemp(char *name_template) {
    return mkdtemp(name_template) == NULL ? -errno : 0;
}

int clinux_pipe(int ends[2]) {
    return pipe2(ends, O_CLOEXEC) < 0 ? -errno : 0;
}

int clinux_waitpid(int pid, int *status) {
    pid_t result = waitpid((pid_t)pid, status, 0);
    return result < 0 ? -errno : (int)result;
}

int clinux_mmap(void **mapped, size_t length, int protection, int flags, int fd, int64_t offset) {
    void *result = mmap(NULL, length, protection, flags, fd, (off_t)offset);
    if (result == MAP_FAILED) return -errno;
    *mapped = result;
    return 0;
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
