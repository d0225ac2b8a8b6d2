// The layouts CVFIO.h declares, held at compile time to the kernel's numbers
// in shared/reference/kernel-uapi.md (LayoutTests checks the rest at run time).

#include "CVFIO.h"

_Static_assert(sizeof(struct cvfio_loop_info64) == 232, "struct loop_info64 is 232 bytes");
_Static_assert(__builtin_offsetof(struct cvfio_loop_info64, lo_flags) == 52, "lo_flags at 52");
_Static_assert(__builtin_offsetof(struct cvfio_loop_info64, lo_init) == 216, "lo_init at 216");
