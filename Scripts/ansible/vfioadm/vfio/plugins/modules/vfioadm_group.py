#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
---
module: vfioadm_group
short_description: Claim or release whole IOMMU groups for VFIO with vfioadm
description:
  - Runs C(vfioadm claim) or C(vfioadm release) with C(--json) on the target host, which hands
    a whole IOMMU group to a VFIO driver (vfio-pci or a variant driver) or gives it back to the
    drivers it had.
  - vfioadm checks everything before it writes (mounted file systems, swap, network use, open
    nodes, the root file system) and refuses what is unsafe; the task then fails with
    vfioadm's reason and exit status.
  - C(changed) is what vfioadm reports. A claim is changed when a group's C(result) is
    C(claimed) (it wrote to sysfs or handed nodes to I(owner)) or C(persist) wrote a file; a
    group vfioadm already holds reports C(unchanged). A release is changed when a group's
    C(result) is C(released) or C(reset), or C(persist) removed a file.
  - In check mode a claim runs C(vfioadm claim --dry-run), which writes nothing and exits as the
    claim would (a refusal fails the task in check mode too); it is changed when vfioadm plans
    sysfs writes. vfioadm has no dry run for a release, so in check mode a release runs
    C(vfioadm check) for the groups the target names and C(vfioadm status), and is changed when
    vfioadm holds one of them (or, with I(persist), has a persistent claim for one).
  - Needs root on the target host, like vfioadm itself (run the task with become).
version_added: 1.0.0
author:
  - vfioadm developers
options:
  target:
    description:
      - What to claim or release, as vfioadm takes it, which validates it (exit 64 otherwise).
      - An IOMMU group number (C(8)), a PCI address (C(0000:01:00.0) or C(01:00.0)), which
        means its whole group, or a selector (C(net:IFACE), C(block:NAME), C(id:VVVV:DDDD)).
      - A list names several; vfioadm claims them all or none.
    type: list
    elements: str
    required: true
  state:
    description:
      - C(claimed) runs C(vfioadm claim), C(released) runs C(vfioadm release).
    type: str
    choices: [claimed, released]
    default: claimed
  persist:
    description:
      - With C(claimed), also records the claim under C(/etc/vfioadm/claims), so that
        C(vfioadm apply) (and C(apply --boot) at every boot) claims the group again.
      - With C(released), also forgets the group's persistent claim.
    type: bool
    default: false
  driver:
    description:
      - The VFIO driver to claim for (C(claimed) only), C(vfio-pci), a variant driver's name,
        or C(auto) for the variant driver the kernel's C(modules.alias) names for the device.
      - Unset, vfioadm's default (C(vfio-pci)).
    type: str
  owner:
    description:
      - Give C(/dev/vfio/N), the device cdevs and group access to C(/dev/iommu) to C(USER) or
        C(USER:GROUP), names or numbers (C(claimed) only).
    type: str
  force:
    description:
      - Claim despite mounted file systems, swap, loop devices, network use, open nodes or
        SR-IOV VFs, or release while a process holds the group open.
      - vfioadm never takes the device of the root file system, of its state directory's file
        system or of an active console, not even with I(force).
    type: bool
    default: false
  all:
    description:
      - Claim every function an C(id:) selector names (C(claimed) only); without it vfioadm
        refuses a selector that names more than one.
    type: bool
    default: false
  timeout:
    description:
      - Seconds a single sysfs write may block before vfioadm reports it (C(--timeout)); unset,
        vfioadm's default (10).
    type: int
extends_documentation_fragment:
  - vfioadm.vfio.vfioadm
notes:
  - In check mode, vfioadm's dry run plans only the sysfs writes, so a change that only
    I(owner) or I(persist) would make is not predicted.
seealso:
  - module: vfioadm.vfio.vfioadm_facts
'''

EXAMPLES = r'''
- name: Give the edu device's whole group to vfio-pci, for good
  vfioadm.vfio.vfioadm_group:
    target: "0000:01:00.0"
    persist: true
    owner: qemu

- name: Claim group 9 for the variant driver modules.alias names
  vfioadm.vfio.vfioadm_group:
    target: 9
    driver: auto

- name: Claim every function of a device model
  vfioadm.vfio.vfioadm_group:
    target: id:1234:11e8
    all: true

- name: Give the NVMe back to nvme and forget its persistent claim
  vfioadm.vfio.vfioadm_group:
    target: block:nvme0n1
    state: released
    persist: true

- name: A refusal is a failure that carries vfioadm's reason and exit status
  vfioadm.vfio.vfioadm_group:
    target: "0000:00:10.0"
  register: refused
  failed_when: refused.rc != 3
'''

RETURN = r'''
groups:
  description: Each group vfioadm acted on, with the result it reported.
  returned: always
  type: list
  elements: dict
  contains:
    group:
      description: The IOMMU group number.
      type: int
    result:
      description:
        - For a claim C(claimed), C(unchanged) or C(planned) (check mode); for a release
          C(released), C(reset) (no journal, so the override was cleared and the device reprobed) or
          C(unchanged); C(held) or C(not-held) for a release in check mode.
      type: str
  sample: [{group: 8, result: claimed}]
report:
  description:
    - vfioadm's JSON report as it printed it (C(vfioadm claim --json) or C(vfioadm release --json);
      for a release in check mode, C(vfioadm status --json)). The schema is in vfioadm's README,
      section JSON; it carries every write made, every hazard with its evidence, and the
      persistent-claim files written (C(persisted)) or removed (C(forgotten)).
  returned: when vfioadm printed a report, also on failure
  type: dict
rc:
  description: vfioadm's exit status (0 done or unchanged, 2 unassignable, 3 refused for safety,
    64 a bad target, 77 not root; see vfioadm's README, "Exit status").
  returned: always
  type: int
  sample: 0
cmd:
  description: The vfioadm command line that was run.
  returned: always
  type: list
  elements: str
error:
  description: vfioadm's error object from stderr (C(code), C(message), C(exitStatus), C(path),
    C(errno), C(errnoName)).
  returned: on failure, when vfioadm reported an error
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vfioadm.vfio.plugins.module_utils.vfioadm import fail, run


def refusal_reason(report):
    """The hazards of every refused group, as vfioadm words them, with their fixes."""
    parts = []
    for group in report.get('groups', []):
        if group.get('result') != 'refused':
            continue
        hazards = group.get('hazards', [])
        details = '; '.join('%s (fix: %s)' % (hazard.get('message'), hazard.get('fix')) for hazard in hazards)
        parts.append('group %s refused, nothing written: %s' % (group.get('group'), details or 'no reason given'))
    return '; '.join(parts) or None


def claim(module):
    params = module.params
    arguments = ['claim', '--json']
    if params['driver'] is not None:
        arguments += ['--driver', params['driver']]
    if params['owner'] is not None:
        arguments += ['--owner', params['owner']]
    if params['timeout'] is not None:
        arguments += ['--timeout', str(params['timeout'])]
    for flag in ('persist', 'force', 'all'):
        if params[flag]:
            arguments.append('--' + flag)
    if module.check_mode:
        arguments.append('--dry-run')
    rc, report, error, command = run(module, arguments + ['--'] + params['target'])
    if rc != 0:
        fail(module, rc, command, error, report, refusal_reason(report or {}))
    groups = [dict(group=group['group'], result=group['result']) for group in report['groups']]
    if module.check_mode:
        changed = any(group['result'] == 'planned' and group.get('writes') for group in report['groups'])
    else:
        changed = any(group['result'] == 'claimed' for group in groups) or bool(report.get('persisted'))
    module.exit_json(changed=changed, groups=groups, report=report, rc=rc, cmd=command)


def release(module):
    params = module.params
    if module.check_mode:
        release_check(module)
    arguments = ['release', '--json']
    if params['timeout'] is not None:
        arguments += ['--timeout', str(params['timeout'])]
    for flag in ('persist', 'force'):
        if params[flag]:
            arguments.append('--' + flag)
    rc, report, error, command = run(module, arguments + ['--'] + params['target'])
    if rc != 0:
        fail(module, rc, command, error, report, refusal_reason(report or {}))
    groups = [dict(group=group['group'], result=group['result']) for group in report['groups']]
    changed = any(group['result'] in ('released', 'reset') for group in groups) or bool(report.get('forgotten'))
    module.exit_json(changed=changed, groups=groups, report=report, rc=rc, cmd=command)


def release_check(module):
    """Check mode for a release: the groups the target names, and whether vfioadm holds them."""
    rc, named, error, command = run(module, ['check', '--json', '--'] + module.params['target'], (0, 2))
    if rc not in (0, 2):
        fail(module, rc, command, error, named)
    numbers = sorted(set(result['group'] for result in named['results'] if 'group' in result))
    rc, status, error, command = run(module, ['status', '--json'], (0, 2))
    if rc not in (0, 2):
        fail(module, rc, command, error, status)
    held = set(group['group'] for group in status['groups'])
    desired = set(entry['group'] for entry in status['desired'] if 'group' in entry)
    groups = [dict(group=number, result='held' if number in held else 'not-held') for number in numbers]
    changed = bool(held.intersection(numbers)) or (module.params['persist'] and bool(desired.intersection(numbers)))
    module.exit_json(changed=changed, groups=groups, report=status, rc=0, cmd=command)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            target=dict(type='list', elements='str', required=True),
            state=dict(type='str', choices=['claimed', 'released'], default='claimed'),
            persist=dict(type='bool', default=False),
            driver=dict(type='str'),
            owner=dict(type='str'),
            force=dict(type='bool', default=False),
            all=dict(type='bool', default=False),
            timeout=dict(type='int'),
            binary=dict(type='str', default='vfioadm'),
        ),
        supports_check_mode=True,
    )
    if module.params['state'] == 'released':
        for option in ('driver', 'owner'):
            if module.params[option] is not None:
                module.fail_json(msg='%s applies to state=claimed only' % option)
        if module.params['all']:
            module.fail_json(msg='all applies to state=claimed only')
        release(module)
    else:
        claim(module)


if __name__ == '__main__':
    main()
