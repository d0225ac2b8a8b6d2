# -*- coding: utf-8 -*-
# The documentation every vfioadm.vfio module shares: how it finds vfioadm.

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  binary:
    description:
      - The vfioadm executable, a path or a name looked up on the target's C(PATH).
    type: str
    default: vfioadm
requirements:
  - vfioadm on the target host
'''
