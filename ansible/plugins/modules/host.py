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
  - What is needed is read from C(jailer init info) first (its text, since it
    has no C(-j) yet, and it reports only C(bridge0)); when everything is
    there nothing else runs and the result is C(changed=false). For a
    bridge other than C(bridge0) the init command runs, and its
    C(nothing to do) line makes the result C(changed=false).
  - In check mode the answer of C(init info) is reported; for a bridge
    other than C(bridge0) a change is reported with a warning (init has
    no C(-D -j) plan yet).
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
  description: The checks of C(jailer init info), as C(check) to C(yes)
    or C(no).
  returned: always
  type: dict
  sample: {"jailer_dir in rc.conf": "yes", "bridge0 is up": "no"}
commands:
  description: The jailer commands that ran and may have changed the host.
  returned: always
  type: list
  elements: list
'''

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailer.core.plugins.module_utils.jailer import (
    JAILER_ARGS, Jailer)

# The init info checks each service needs.
CHECKS = {
    'base': ['jail_enable in rc.conf', 'jail.conf.d included',
             'jailer_dir in rc.conf'],
    'bridge': ['bridge0 in rc.conf', 'bridge0 is up'],
    'dhcp': ['dhcpd installed', 'dhcpd running', 'devfs ruleset'],
    'pf': ['pf.conf anchors', 'pf enabled', 'IP forwarding'],
}


def init_info(j):
    """init info's checks: name -> 'yes', 'no' or the value shown."""
    rc, out, err = j.run(['init', 'info'])
    info = {}
    for line in out.splitlines():
        m = re.match(r'^ (\S.*?)\s+==> (.*)$', line)
        if m:
            v = m.group(2).strip()
            info[m.group(1)] = {'YES!': 'yes', 'NO :(': 'no'}.get(v, v)
    return info


def needed(p, info):
    """True, False or None (init info cannot tell)."""
    s = p['service']
    if s in ('bridge', 'dhcp') and p['bridge'] not in (None, 'bridge0'):
        return None
    if s == 'bridge' and p['address']:
        have = info.get('bridge0 uses IP address')
        v4 = [a for a in p['address'] if ':' not in a]
        if v4 and have != v4[0]:
            return None if have not in (None, 'no') else True
        if [a for a in p['address'] if ':' in a]:
            return None     # init info does not show the IPv6 address
    if s != 'base' and info.get('jailer_dir in rc.conf') == 'no':
        return True
    return any(info.get(c, 'no') == 'no' for c in CHECKS[s])


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
    info = init_info(j)
    need = needed(p, info)
    if need is False:
        j.result(False, info=info)
    if module.check_mode:
        if need is None:
            module.warn('check mode: init info cannot tell whether '
                        'init %s is needed' % p['service'])
        j.result(True, info=info)
    cmd = ['init'] + ([] if p['service'] == 'base' else [p['service']])
    cmd.append('-y')
    for opt, key in (('-z', 'pool'), ('-d', 'dataset'), ('-m', 'mountpoint'),
                     ('-i', 'bridge')):
        if p[key]:
            cmd += [opt, p[key]]
    for a in p['address'] or []:
        cmd += ['-a', a]
    out = j.change(cmd)
    j.result('nothing to do' not in out, info=init_info(j))


if __name__ == '__main__':
    main()
