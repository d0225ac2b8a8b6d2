#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: vfioadm_facts
short_description: IOMMU groups, PCI devices, verdicts and vfioadm's claims as facts
description:
  - Runs C(vfioadm list --json) and C(vfioadm status --json) on the target host and sets
    C(ansible_facts.vfioadm) from them, changing nothing.
  - Groups, devices, verdicts, held claims and persistent claims keep vfioadm's own JSON keys
    (camelCase, as in its README, section JSON), so a fact means what the report means.
version_added: 1.0.0
author:
  - vfioadm developers
options:
  sysfs_root:
    description:
      - Read a sysfs tree captured from another host (vfioadm's C(--sysfs-root)) instead of the
        host's C(/sys) for the groups and devices. What vfioadm holds is always the host's.
    type: path
extends_documentation_fragment:
  - vfioadm.vfio.vfioadm
notes:
  - Reading C(config) space for the header type needs root; without it the facts have what
    unprivileged reads give (vfioadm reports each unreadable attribute in C(problems)).
seealso:
  - module: vfioadm.vfio.vfioadm_group
'''

EXAMPLES = r'''
- name: Gather vfioadm's view of the host
  vfioadm.vfio.vfioadm_facts:

- name: Groups a VM can have as they are
  ansible.builtin.debug:
    msg: "{{ ansible_facts.vfioadm.groups | selectattr('verdict.status', 'eq', 'viable') | map(attribute='group') | list }}"

- name: Why each blocked group is blocked, and the fix
  ansible.builtin.debug:
    msg: "group {{ item.group }}: {{ item.verdict.reasons | map(attribute='message') | join('; ') }}"
  loop: "{{ ansible_facts.vfioadm.groups | rejectattr('verdict.status', 'eq', 'viable') | list }}"
  loop_control:
    label: "{{ item.group }}"

- name: Claim every NVMe's group that vfioadm does not hold yet
  vfioadm.vfio.vfioadm_group:
    target: "{{ item.address }}"
  loop: "{{ ansible_facts.vfioadm.devices | selectattr('class.id', 'match', '0x0108') | list }}"
  when: item.iommuGroup not in ansible_facts.vfioadm.held | map(attribute='group')
'''

RETURN = r'''
ansible_facts:
  description: Facts to add to ansible_facts.
  returned: always
  type: complex
  contains:
    vfioadm:
      description: vfioadm's view of the host.
      type: complex
      contains:
        iommu:
          description: Whether the host has IOMMU groups at all.
          type: bool
        verdict:
          description: The host's verdict (C(no-iommu), with the fix) when it has no IOMMU.
          type: dict
          returned: when the host has no IOMMU
        groups:
          description:
            - Every IOMMU group as C(vfioadm list --json) gives it, C(group), C(type),
              C(reservedRegions), C(devices) and C(verdict) (C(status) C(viable), C(not-viable)
              or C(unassignable), with C(reasons), each with C(code), C(device), C(message)
              and C(fix)).
          type: list
          elements: dict
        devices:
          description:
            - Every PCI device, those of the groups and those in no group, as vfioadm reports
              them (C(address), C(vendor), C(device), C(class), C(driver), C(driverOverride),
              C(iommuGroup), ...).
          type: list
          elements: dict
        ungroupedDevices:
          description: The PCI devices in no IOMMU group.
          type: list
          elements: dict
        problems:
          description: Attributes vfioadm could not read, with the path and errno.
          type: list
          elements: dict
        held:
          description:
            - The groups vfioadm holds, from its journals checked against sysfs (C(vfioadm status)), with
              C(group), C(phase) (C(claimed), or C(claiming)/C(releasing) for one a crash
              interrupted), C(members) with their original and current drivers, C(drift).
          type: list
          elements: dict
        desired:
          description: The persistent claims (C(/etc/vfioadm)) and whether each is held, with drift.
          type: list
          elements: dict
        consistent:
          description: False when a held group or a persistent claim has drifted.
          type: bool
        stateDirectory:
          description: vfioadm's state directory (journals and lock).
          type: str
        configDirectory:
          description: vfioadm's config directory (persistent claims).
          type: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfioadm.vfio.plugins.module_utils.vfioadm import fail, run

# vfioadm exits 69 from list on a host without an IOMMU and 2 from status when
# something drifted; both still print their report.
LIST_REPORTED = (0, 69)
STATUS_REPORTED = (0, 2)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            sysfs_root=dict(type='path'),
            binary=dict(type='str', default='vfioadm'),
        ),
        supports_check_mode=True,
    )
    root = ['--sysfs-root', module.params['sysfs_root']] if module.params['sysfs_root'] else []
    rc, listed, error, command = run(module, ['list', '--json'] + root, LIST_REPORTED)
    if rc not in LIST_REPORTED:
        fail(module, rc, command, error, listed)
    rc, status, error, command = run(module, ['status', '--json'], STATUS_REPORTED)
    if rc not in STATUS_REPORTED:
        fail(module, rc, command, error, status)

    groups = listed.get('groups', [])
    facts = dict(
        iommu=listed['iommu'],
        groups=groups,
        devices=[device for group in groups for device in group['devices']] + listed.get('ungroupedDevices', []),
        ungroupedDevices=listed.get('ungroupedDevices', []),
        problems=listed.get('problems', []),
        held=status['groups'],
        desired=status['desired'],
        consistent=status['consistent'],
        stateDirectory=status['stateDirectory'],
        configDirectory=status['configDirectory'],
    )
    if 'verdict' in listed:
        facts['verdict'] = listed['verdict']
    module.exit_json(changed=False, ansible_facts=dict(vfioadm=facts))


if __name__ == '__main__':
    main()
