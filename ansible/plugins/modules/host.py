#!/usr/bin/python
# -*- coding: utf-8 -*-
# A FreeBSD host prepared for jailer(8): init, init bridge, dhcp, pf.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: host
short_description: Prepare a FreeBSD host for jailer
description:
  - Runs C(jailer init -y) (I(service=base)), C(jailer init bridge -y),
    C(jailer init dhcp -y) or C(jailer init pf -y), which do only the
    steps the host still needs.
  - What is needed is the command's own C(-D -j) plan, asked first with
    the same options; when it changes nothing, nothing else runs and the
    result is C(changed=false).
  - In check mode the plan's C(changed) is reported. A plan that cannot
    be made because an earlier service is missing (C(init dhcp) before
    C(init bridge), which an earlier task of the same play may do) is
    reported as a change, with a warning.
version_added: "0.1.0"
author: jailer developers
extends_documentation_fragment:
  - jailer.core.jailer
options:
  service:
    description: What to prepare.
    type: str
    choices: [base, bridge, dhcp, pf]
    default: base
  pool:
    description: With I(service=base), the pool (C(init -z)).
    type: str
  dataset:
    description: With I(service=base), the dataset (C(init -d)).
    type: str
  mountpoint:
    description: With I(service=base), its mount point (C(init -m)).
    type: str
  bridge:
    description: With I(service=bridge) or C(dhcp), the bridge (C(-i)).
    type: str
  address:
    description: With I(service=bridge), the bridge's addresses (C(-a)),
      one C(address/prefix) per family.
    type: list
    elements: str
'''

EXAMPLES = r'''
- name: jailer on the pool zroot
  jailer.core.host:
    pool: zroot

- name: A bridge, DHCP and pf for VNET jails
  jailer.core.host:
    service: "{{ item }}"
  loop: [bridge, dhcp, pf]
'''

RETURN = r'''
info:
  description: The host as C(jailer init info -j) shows it after the run.
  returned: always
  type: dict
  sample: {"jailer_dir_set": true, "bridge_up": false, "hints": []}
commands:
  description: The jailer commands that ran and may have changed the host.
  returned: always
  type: list
  elements: list
plans:
  description: The C(-D -j) plan asked.
  returned: always
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailer.core.plugins.module_utils.jailer import (
    JAILER_ARGS, Jailer, with_dry)


def init_cmd(p):
    """The init command and the number of its command words."""
    cmd = ['init'] + ([] if p['service'] == 'base' else [p['service']])
    n = len(cmd)
    cmd.append('-y')
    for opt, key in (('-z', 'pool'), ('-d', 'dataset'), ('-m', 'mountpoint'),
                     ('-i', 'bridge')):
        if p[key]:
            cmd += [opt, p[key]]
    for a in p['address'] or []:
        cmd += ['-a', a]
    return cmd, n


def main():
    args = dict(
        service=dict(type='str', default='base',
                     choices=['base', 'bridge', 'dhcp', 'pf']),
        pool=dict(type='str'),
        dataset=dict(type='str'),
        mountpoint=dict(type='str'),
        bridge=dict(type='str'),
        address=dict(type='list', elements='str'),
    )
    args.update(JAILER_ARGS)
    module = AnsibleModule(argument_spec=args, supports_check_mode=True,
                           mutually_exclusive=[('pool', 'dataset')])
    p = module.params
    j = Jailer(module)
    cmd, n = init_cmd(p)
    # init dhcp before init bridge: "run 'jailer init bridge' first"
    plan = j.plan(with_dry(cmd, n),
                  earlier=r"run 'jailer init[a-z ]*' first")
    if plan is None:
        j.result(True, info=j.json(['init', 'info', '-j']))
    j.plans.append(plan)
    if plan['changed'] and not module.check_mode:
        j.change(cmd)
    j.result(plan['changed'], info=j.json(['init', 'info', '-j']))


if __name__ == '__main__':
    main()
