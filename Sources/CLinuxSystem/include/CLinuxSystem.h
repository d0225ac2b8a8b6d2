// The raw Linux calls vfioadm makes, for LinuxSystem. Each returns the call's
// non-negative result, or the negated errno, read in C right after the call so
// that nothing can overwrite it first. No retries here: LinuxSystem's Syscall
// retries EINTR in one place.

#ifndef CLINUX_SYSTEM_H
#define CLINUX_SYSTEM_H

#include <stddef.h>
#include <stdint.h>

// ioctl with no argument.
int clinux_ioctl_none(int fd, unsigned long request);
// ioctl with an integer argument passed by value (CHECK_EXTENSION, SET_IOMMU).
int clinux_ioctl_value(int fd, unsigned long request, unsigned long value);
// ioctl with a pointer argument.
int clinux_ioctl_pointer(int fd, unsigned long request, void *argument);
// pread / pwrite: bytes moved, or the negated errno.
long clinux_pread(int fd, void *buffer, size_t count, int64_t offset);
long clinux_pwrite(int fd, const void *buffer, size_t count, int64_t offset);
// open(2) with O_PATH | O_NOFOLLOW | O_CLOEXEC: a handle on the name itself
// (a symlink is not followed, a device is not opened), or the negated errno.
int clinux_open_path_nofollow(const char *path);
// fchownat(fd, "", uid, gid, AT_EMPTY_PATH): changes the owner of what an
// O_PATH handle names; 0, or the negated errno.
int clinux_fchown_handle(int fd, uint32_t uid, uint32_t gid);
// getdents64(2): bytes of `struct clinux_dirent64` records filled in, 0 at the
// end of the directory, or the negated errno. Directories are read with it
// directly: glibc's opendir adds an fstat, an fcntl and a 32 KiB buffer each.
long clinux_getdents64(int fd, void *buffer, size_t count);

// openat(2): `path` relative to the open directory `directory` (AT_FDCWD for
// the working directory) with `flags` and, for O_CREAT, `mode`; the fd, or the
// negated errno.
int clinux_openat(int directory, const char *path, int flags, unsigned mode);
// read / write at the file offset: bytes moved, or the negated errno.
long clinux_read(int fd, void *buffer, size_t count);
long clinux_write(int fd, const void *buffer, size_t count);
// fsync(2), flock(2): 0, or the negated errno.
int clinux_fsync(int fd);
int clinux_flock(int fd, int operation);
// rename, unlink, mkdir, rmdir, symlink, chmod of paths: 0, or the negated errno.
int clinux_rename(const char *from, const char *to);
int clinux_unlink(const char *path);
int clinux_mkdir(const char *path, unsigned mode);
int clinux_rmdir(const char *path);
int clinux_symlink(const char *target, const char *path);
int clinux_chmod(const char *path, unsigned mode);
// fstatat(2) (AT_SYMLINK_NOFOLLOW in `flags` for lstat) and fstat(2) into the
// `struct stat` at `info`: 0, or the negated errno.
int clinux_fstatat(int directory, const char *path, void *info, int flags);
int clinux_fstat(int fd, void *info);
// mkdtemp(3) in place on `name_template`: 0, or the negated errno.
int clinux_mkdtemp(char *name_template);
// pipe2(2) with O_CLOEXEC: 0, or the negated errno.
int clinux_pipe(int ends[2]);
// waitpid(2) for `pid`, status into `status`: the pid, or the negated errno.
int clinux_waitpid(int pid, int *status);
// mmap(2): 0 with the mapping in `*mapped`, or the negated errno.
int clinux_mmap(void **mapped, size_t length, int protection, int flags, int fd, int64_t offset);

// One record of getdents64 (the kernel's `struct linux_dirent64`): `reclen`
// bytes long, the NUL-terminated name starting at `clinux_dirent64_name_offset`.
struct clinux_dirent64 {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
    char name[];
};
// Computed from the struct, and held to the kernel's 19 where CLinuxSystem.c is compiled.
static const size_t clinux_dirent64_name_offset = __builtin_offsetof(struct clinux_dirent64, name);

// Volatile MMIO accessors for mmap'ed device regions: one access of exactly the
// given width, never merged, split or elided by the compiler.
uint8_t clinux_mmio_read8(const volatile void *base, size_t offset);
uint16_t clinux_mmio_read16(const volatile void *base, size_t offset);
uint32_t clinux_mmio_read32(const volatile void *base, size_t offset);
uint64_t clinux_mmio_read64(const volatile void *base, size_t offset);
void clinux_mmio_write8(volatile void *base, size_t offset, uint8_t value);
void clinux_mmio_write16(volatile void *base, size_t offset, uint16_t value);
void clinux_mmio_write32(volatile void *base, size_t offset, uint32_t value);
void clinux_mmio_write64(volatile void *base, size_t offset, uint64_t value);

#endif // CLINUX_SYSTEM_H
