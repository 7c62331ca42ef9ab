#!/usr/bin/python
# -*- coding: utf-8 -*-
# A snapshot of a jail managed by jailer(8).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: snapshot
short_description: Take, destroy and roll back to snapshots of jailer jails
description:
  - Makes the snapshot I(jail)@I(name) exist (C(jailer snap)) or go away
    (C(jailer snap destroy)), and rolls the jail back to it
    (C(jailer rollback)).
  - When nothing is needed, only C(jailer snap list -j JAIL) runs.
  - In check mode the C(-D -j) plan of the command is asked and its
    C(changed) reported.
version_added: "0.1.0"
author: jailer developers
extends_documentation_fragment:
  - jailer.core.jailer
options:
  jail:
    description: The jail.
    type: str
    required: true
  name:
    description: The snapshot's name.
    type: str
    required: true
  state:
    description: Whether the snapshot exists.
    type: str
    choices: [present, absent]
    default: present
  rollback:
    description:
      - Roll the jail back to the snapshot (C(jailer rollback)); jailer
        refuses when newer snapshots exist. A running jail is stopped and
        started again (C(rollback -f)). This is always a change, since no
        read command tells whether the jail differs from its snapshot.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Before the upgrade
  jailer.core.snapshot:
    jail: app0
    name: prod

- name: Back to it
  jailer.core.snapshot:
    jail: app0
    name: prod
    rollback: true

- name: Not needed any more
  jailer.core.snapshot:
    jail: app0
    name: prod
    state: absent
'''

RETURN = r'''
snapshot:
  description: The snapshot as C(jailer snap list -j) shows it.
  returned: when it exists (not in check mode for a new one)
  type: dict
  sample: {"jail": "app0", "snapshot": "prod", "created": "2026-12-07 23:24:35", "used": "0"}
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


def snaps(j, jail):
    return dict((s['snapshot'], s) for s in j.json(['snap', 'list', '-j', jail])
                if s.get('jail') == jail)


def main():
    args = dict(
        jail=dict(type='str', required=True),
        name=dict(type='str', required=True),
        state=dict(type='str', default='present',
                   choices=['present', 'absent']),
        rollback=dict(type='bool', default=False),
    )
    args.update(JAILER_ARGS)
    module = AnsibleModule(argument_spec=args, supports_check_mode=True)
    p = module.params
    if p['rollback'] and p['state'] == 'absent':
        module.fail_json(msg='rollback needs state=present')
    j = Jailer(module)
    jail, full = p['jail'], '%s@%s' % (p['jail'], p['name'])
    have = snaps(j, jail)
    changed = False
    if p['state'] == 'absent':
        if p['name'] in have:
            changed = j.step(['snap', 'destroy', full], 2)
        j.result(changed)
    if p['name'] not in have:
        changed = j.not_yet(jail) or j.step(['snap', full], 1)
    if p['rollback']:
        # In check mode a snapshot still to be taken has no plan to ask.
        if not (module.check_mode and p['name'] not in have):
            running = j.jails().get(jail, {}).get('state') == 'Active'
            j.step(['rollback'] + (['-f'] if running else []) + [full], 1)
        changed = True
    if module.check_mode and p['name'] not in have:
        j.result(changed)
    j.result(changed, snapshot=snaps(j, jail).get(p['name']))


if __name__ == '__main__':
    main()
