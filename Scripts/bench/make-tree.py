#!/usr/bin/env python3
"""Writes a synthetic sysfs tree of an SR-IOV-heavy host for the list benchmark:
4,096 IOMMU groups and 8,192 PCI devices with the kernel's layout and symlinks.

16 physical functions with 128 VFs each (2,048 VFs, one group each), and 2,048
three-function slots (one group each) that include the PFs."""
import os
import struct
import sys

root = sys.argv[1]
sysdir = os.path.join(root, "sys")
drivers = ["vfio-pci", "iavf", "ice", "nvme", "pcieport"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def config(vendor, device, class_code, header):
    data = bytearray(256)
    struct.pack_into("<HH", data, 0, vendor, device)
    data[8] = 1
    struct.pack_into("<I", data, 8, (class_code << 8) | 1)
    data[0x0E] = header
    return bytes(data)


def device(bdf, group, vendor, device_id, class_code, driver, header=0, physfn=None, numvfs=None):
    rel = f"devices/pci0000:00/{bdf}"
    d = os.path.join(sysdir, rel)
    os.makedirs(d, exist_ok=True)
    for name, value in [("vendor", f"0x{vendor:04x}"), ("device", f"0x{device_id:04x}"),
                        ("subsystem_vendor", "0x8086"), ("subsystem_device", "0x0000"),
                        ("class", f"0x{class_code:06x}"), ("revision", "0x02"),
                        ("driver_override", "(null)"), ("numa_node", "0"),
                        ("irq", "0"), ("resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000")]:
        write(os.path.join(d, name), value + "\n")
    # uevent as dev_uevent and pci_uevent print it (%04X fields).
    lines = [f"DRIVER={driver}"] if driver else []
    lines += [f"PCI_CLASS={class_code:04X}", f"PCI_ID={vendor:04X}:{device_id:04X}", "PCI_SUBSYS_ID=8086:0000",
              f"PCI_SLOT_NAME={bdf}",
              f"MODALIAS=pci:v{vendor:08X}d{device_id:08X}sv00008086sd00000000"
              f"bc{class_code >> 16:02X}sc{(class_code >> 8) & 0xFF:02X}i{class_code & 0xFF:02x}"]
    write(os.path.join(d, "uevent"), "\n".join(lines) + "\n")
    with open(os.path.join(d, "config"), "wb") as f:
        f.write(config(vendor, device_id, class_code, header))
    if numvfs is not None:
        write(os.path.join(d, "sriov_numvfs"), f"{numvfs}\n")
    if driver:
        os.makedirs(os.path.join(sysdir, "bus/pci/drivers", driver), exist_ok=True)
        os.symlink(f"../../../bus/pci/drivers/{driver}", os.path.join(d, "driver"))
    os.symlink(f"../../../kernel/iommu_groups/{group}", os.path.join(d, "iommu_group"))
    os.symlink(f"../../../../devices/pci0000:00/{bdf}",
               os.path.join(sysdir, f"kernel/iommu_groups/{group}/devices/{bdf}"))
    os.symlink(f"../../../devices/pci0000:00/{bdf}", os.path.join(sysdir, f"bus/pci/devices/{bdf}"))
    if physfn:
        os.symlink(f"../{physfn}", os.path.join(d, "physfn"))


def group(n):
    g = os.path.join(sysdir, f"kernel/iommu_groups/{n}")
    os.makedirs(os.path.join(g, "devices"))
    write(os.path.join(g, "type"), "DMA\n")
    write(os.path.join(g, "reserved_regions"), "0x00000000fee00000 0x00000000feefffff msi\n")


os.makedirs(os.path.join(sysdir, "bus/pci/devices"), exist_ok=True)
next_group = 0
pfs = []
# 2,048 three-function slots on buses 0x01-0x40, 32 slots each; function 0 of
# the first slot of buses 0x01-0x10 is an SR-IOV PF.
for bus in range(0x01, 0x41):
    for slot in range(32):
        group(next_group)
        for fn in range(3):
            bdf = f"0000:{bus:02x}:{slot:02x}.{fn}"
            is_pf = bus <= 0x10 and slot == 0 and fn == 0
            device(bdf, next_group, 0x8086, 0x1592 if is_pf else 0x1572, 0x020000,
                   "ice" if is_pf else drivers[(bus + slot + fn) % len(drivers)], header=0x80,
                   numvfs=128 if is_pf else None)
            if is_pf:
                pfs.append(bdf)
        next_group += 1
# 128 VFs per PF on buses 0x81-0x90, one group each.
for index, pf in enumerate(pfs):
    bus = 0x81 + index
    vfs = []
    for vf in range(128):
        bdf = f"0000:{bus:02x}:{vf // 8:02x}.{vf % 8}"
        group(next_group)
        device(bdf, next_group, 0x8086, 0x1889, 0x020000, "vfio-pci" if vf % 2 else "iavf", physfn=pf)
        vfs.append(bdf)
        next_group += 1
    pf_dir = os.path.join(sysdir, "devices/pci0000:00", pf)
    for n, vf in enumerate(vfs):
        os.symlink(f"../{vf}", os.path.join(pf_dir, f"virtfn{n}"))
print(f"make-tree: {next_group} groups under {root}", file=sys.stderr)
