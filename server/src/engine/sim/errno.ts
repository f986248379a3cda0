// Numeric values of the errno and VM_FAULT names that decide branches in mm
// code (include/uapi/asm-generic/errno-base.h, errno.h, include/linux/mm_types.h).
// Knowing them lets `ret == -EAGAIN` and `ret < 0` be decided on a path where
// the function returned -EBUSY.
export const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, ENXIO: 6, E2BIG: 7, ENOEXEC: 8, EBADF: 9,
  ECHILD: 10, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EFAULT: 14, ENOTBLK: 15, EBUSY: 16, EEXIST: 17,
  EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENFILE: 23, EMFILE: 24, ENOTTY: 25,
  ETXTBSY: 26, EFBIG: 27, ENOSPC: 28, ESPIPE: 29, EROFS: 30, EMLINK: 31, EPIPE: 32, EDOM: 33,
  ERANGE: 34, EDEADLK: 35, ENAMETOOLONG: 36, ENOLCK: 37, ENOSYS: 38, ENOTEMPTY: 39, ELOOP: 40,
  ENODATA: 61, EOVERFLOW: 75, EOPNOTSUPP: 95, ENOBUFS: 105, ETIMEDOUT: 110, EALREADY: 114,
  EINPROGRESS: 115, EHWPOISON: 133, ERESTARTSYS: 512, ENOTSUPP: 524,
  // vm_fault_t bits
  VM_FAULT_OOM: 0x1, VM_FAULT_SIGBUS: 0x2, VM_FAULT_MAJOR: 0x4, VM_FAULT_HWPOISON: 0x10,
  VM_FAULT_HWPOISON_LARGE: 0x20, VM_FAULT_SIGSEGV: 0x40, VM_FAULT_NOPAGE: 0x100,
  VM_FAULT_LOCKED: 0x200, VM_FAULT_RETRY: 0x400, VM_FAULT_FALLBACK: 0x800,
  VM_FAULT_DONE_COW: 0x1000, VM_FAULT_NEEDDSYNC: 0x2000, VM_FAULT_COMPLETED: 0x4000,
  // The union callers test for failure: OOM | SIGBUS | SIGSEGV | HWPOISON | HWPOISON_LARGE | FALLBACK.
  VM_FAULT_ERROR: 0x873,
  // enum fault_flag (include/linux/mm_types.h; the same values in 6.1 and 6.12, VMA_LOCK from 6.4)
  FAULT_FLAG_WRITE: 0x1, FAULT_FLAG_MKWRITE: 0x2, FAULT_FLAG_ALLOW_RETRY: 0x4, FAULT_FLAG_RETRY_NOWAIT: 0x8,
  FAULT_FLAG_KILLABLE: 0x10, FAULT_FLAG_TRIED: 0x20, FAULT_FLAG_USER: 0x40, FAULT_FLAG_REMOTE: 0x80,
  FAULT_FLAG_INSTRUCTION: 0x100, FAULT_FLAG_INTERRUPTIBLE: 0x200, FAULT_FLAG_UNSHARE: 0x400,
  FAULT_FLAG_ORIG_PTE_VALID: 0x800, FAULT_FLAG_VMA_LOCK: 0x1000,
  // fgf_t page-cache lookup flags (include/linux/pagemap.h; the same values in 6.1 and 6.12):
  // whether __filemap_get_folio() returns the folio locked is the FGP_LOCK bit of its flags.
  FGP_ACCESSED: 0x1, FGP_LOCK: 0x2, FGP_CREAT: 0x4, FGP_WRITE: 0x8, FGP_NOFS: 0x10, FGP_NOWAIT: 0x20,
  FGP_FOR_MMAP: 0x40, FGP_STABLE: 0x80, FGP_WRITEBEGIN: 0x8e,
  // migrate results (include/linux/migrate.h, the same in 6.1 and 6.12): UNMAP is what
  // migrate_folio_unmap() returns with both folios locked and the destination in *dstp.
  MIGRATEPAGE_SUCCESS: 0, MIGRATEPAGE_UNMAP: 1,
  // enum positive_aop_returns (include/linux/fs.h; the same values in 6.1 and 6.12): positive,
  // so `if (err < 0)` after a helper that returned AOP_TRUNCATED_PAGE is false.
  AOP_WRITEPAGE_ACTIVATE: 0x80000, AOP_TRUNCATED_PAGE: 0x80001,
};

/** Names whose value is never NULL wherever code reads them (arch/x86/include/asm/current.h
 *  and the other arches: `current` is the running task). Lets an owner field set to NULL on
 *  release (`memcg->move_lock_task = NULL`) be told apart from `current` afterwards. */
export const NON_NULL_NAMES: ReadonlySet<string> = new Set(['current']);
