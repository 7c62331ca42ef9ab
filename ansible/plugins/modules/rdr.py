#!/usr/bin/python
# -*- coding: utf-8 -*-
# A port redirection to a jail managed by jailer(8).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: rdr
short_description: Port redirections to a jailer jail
description:
  - Makes one redirection rule exist (C(jailer rdr add)) or go away
    (C(jailer rdr del -n N), N its number in C(jailer rdr list -j)). The
    host needs C(jailer init pf) first.
  - A rule matches when its jail, protocol, ports and jail port are the
    ones given, and its interface and address too where given (no
    I(address) matches only a rule without one).
  - When nothing is needed, only C(jailer rdr list -j JAIL) runs.
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
    description: Whether the rule exists.
    type: str
    choices: [present, absent]
    default: present
  protocol:
    description: The protocol (C(rdr add -p)).
    type: str
    choices: [tcp, udp]
    required: true
  port:
    description: The host's port or range C(first:last) (C(rdr add -r)).
    type: str
    required: true
  jail_port:
    description: The jail's port (the first of a range) (C(rdr add -d));
      the default is I(port)'s first.
    type: str
  interface:
    description: The host interface (C(rdr add -i)); the default is the
      one of the host's default route, and any interface then matches.
    type: str
  address:
    description: The host address (C(rdr add -a)), IPv4 or IPv6 (an
      inet6 rule).
    type: str
'''

EXAMPLES = r'''
- name: Port 80 of the host to port 8080 of web
  jailer.core.rdr:
    jail: web
    protocol: tcp
    port: "80"
    jail_port: "8080"

- name: A range of UDP ports, gone
  jailer.core.rdr:
    jail: voip
    protocol: udp
    port: "10000:10100"
    state: absent
'''

RETURN = r'''
rdr:
  description: The rule as C(jailer rdr list -j) shows it.
  returned: when it exists (not in check mode)
  type: dict
  sample: {"jail": "web", "number": "1", "proto": "tcp", "ports": "80", "interface": "vtnet0", "address": "-", "jail_port": "8080"}
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


def matching(j, p):
    jport = p['jail_port'] or p['port'].split(':')[0]
    out = []
    for r in j.json(['rdr', 'list', '-j', p['jail']]):
        if (r.get('jail') == p['jail'] and r.get('proto') == p['protocol']
                and r.get('ports') == p['port']
                and r.get('jail_port') == jport
                and (not p['interface'] or r.get('interface') == p['interface'])
                and r.get('address') == (p['address'] or '-')):
            out.append(r)
    return out


def main():
    args = dict(
        jail=dict(type='str', required=True),
        state=dict(type='str', default='present',
                   choices=['present', 'absent']),
        protocol=dict(type='str', required=True, choices=['tcp', 'udp']),
        port=dict(type='str', required=True),
        jail_port=dict(type='str'),
        interface=dict(type='str'),
        address=dict(type='str'),
    )
    args.update(JAILER_ARGS)
    module = AnsibleModule(argument_spec=args, supports_check_mode=True)
    p = module.params
    j = Jailer(module)
    have = matching(j, p)
    changed = False
    if p['state'] == 'absent':
        # Highest number first, so that a renumbering after a removal
        # cannot move the ones still to go.
        for r in sorted(have, key=lambda r: -int(r['number'])):
            changed = j.step(['rdr', 'del', p['jail'], '-n', r['number']],
                             2) or changed
        j.result(changed)
    if not have:
        add = ['rdr', 'add']
        for opt, key in (('-i', 'interface'), ('-a', 'address'),
                         ('-p', 'protocol'), ('-r', 'port'),
                         ('-d', 'jail_port')):
            if p[key]:
                add += [opt, p[key]]
        changed = j.not_yet(p['jail']) or j.step(add + [p['jail']], 2)
        if not module.check_mode:
            have = matching(j, p)
    j.result(changed, rdr=have[0] if have else None)


if __name__ == '__main__':
    main()
