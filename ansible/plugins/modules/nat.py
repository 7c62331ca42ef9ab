#!/usr/bin/python
# -*- coding: utf-8 -*-
# The NAT rule of a jail managed by jailer(8).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: nat
short_description: NAT for a jailer jail's outgoing connections
description:
  - Makes the jail's one NAT rule exist (C(jailer nat add)) or go away
    (C(jailer nat del)). The host needs C(jailer init pf) first.
  - A rule that exists with another interface or address is replaced
    (C(nat del), then C(nat add)).
  - When nothing is needed, only C(jailer nat list -j JAIL) runs.
  - In check mode the C(-D -j) plan is asked and its C(changed) reported;
    diff mode shows the jail's rule file before and after.
version_added: "0.1.0"
author: jailer developers
extends_documentation_fragment:
  - jailer.core.jailer
options:
  jail:
    description: The jail.
    type: str
    required: true
  state:
    description: Whether the jail has its NAT rule.
    type: str
    choices: [present, absent]
    default: present
  interface:
    description: The host interface (C(nat add -i)); the default is the
      one of the host's default route, and any interface then matches.
    type: str
  address:
    description: Translate to this address (C(nat add -a)) instead of the
      interface's.
    type: str
'''

EXAMPLES = r'''
- name: app0 reaches the internet through vtnet0
  jailer.core.nat:
    jail: app0
    interface: vtnet0
'''

RETURN = r'''
nat:
  description: The rule as C(jailer nat list -j) shows it.
  returned: when it exists (not in check mode)
  type: dict
  sample: {"jail": "app0", "interface": "vtnet0", "address": "-", "jail_address": "10.0.0.2", "loaded": "yes"}
commands:
  description: The jailer commands that ran and may have changed the host.
  returned: always
  type: list
  elements: list
plans:
  description: The C(-D -j) plans asked (check mode and diff mode).
  returned: always
  type: list
  elements: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailer.core.plugins.module_utils.jailer import (
    JAILER_ARGS, Jailer)


def rule(j, jail):
    for r in j.json(['nat', 'list', '-j', jail]):
        if r.get('jail') == jail:
            return r
    return None


def main():
    args = dict(
        jail=dict(type='str', required=True),
        state=dict(type='str', default='present',
                   choices=['present', 'absent']),
        interface=dict(type='str'),
        address=dict(type='str'),
    )
    args.update(JAILER_ARGS)
    module = AnsibleModule(argument_spec=args, supports_check_mode=True)
    p = module.params
    j = Jailer(module)
    jail = p['jail']
    have = rule(j, jail)
    changed = False
    if p['state'] == 'absent':
        if have:
            changed = j.step(['nat', 'del', jail], 2)
        j.result(changed)
    add = ['nat', 'add']
    if p['interface']:
        add += ['-i', p['interface']]
    if p['address']:
        add += ['-a', p['address']]
    add.append(jail)
    if have and ((p['interface'] and have.get('interface') != p['interface'])
                 or have.get('address') != (p['address'] or '-')):
        changed = j.step(['nat', 'del', jail], 2)
        if module.check_mode:
            j.result(True)
        have = None
    if not have:
        changed = j.not_yet(jail) or j.step(add, 2) or changed
    j.result(changed, nat=None if module.check_mode else rule(j, jail))


if __name__ == '__main__':
    main()
