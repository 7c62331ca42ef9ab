#!/usr/bin/python
# -*- coding: utf-8 -*-
# A FreeBSD jail managed by jailer(8).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: jail
short_description: Create, start, stop and destroy FreeBSD jails with jailer
description:
  - Makes a jail managed by jailer(8) exist, run, stop or go away.
  - A missing jail is created with C(jailer create), which also starts it.
  - A jail that exists is never recreated. When the creation options that
    C(jailer info -j) shows (release, network type, interface, IPv4 and
    IPv6 address, netmask, gateway, host name) differ from the ones given,
    the module fails and names each differing option.
  - When nothing is needed, only C(jailer list -j) and C(jailer info -j) run.
  - In check mode the C(-D -j) plan of the command that would run is asked
    and its C(changed) reported; with a jailer whose C(create) has no
    C(-j) yet, a missing jail is reported as a change without a plan.
version_added: "0.1.0"
author: jailer developers
extends_documentation_fragment:
  - jailer.core.jailer
options:
  name:
    description: The jail's name.
    type: str
    required: true
  state:
    description:
      - C(present) the jail exists (a new jail is started by create; an
        existing one is left running or stopped as it is).
      - C(started) it exists and runs; C(stopped) it exists and does not
        run (a new jail is created, then stopped).
      - C(restarted) it exists and is restarted (always a change).
      - C(absent) it is destroyed (C(jailer destroy), which stops it first).
    type: str
    choices: [present, absent, started, stopped, restarted]
    default: present
  release:
    description: The image to create the jail from (C(create -r)).
    type: str
  snapshot:
    description: Create the jail from this snapshot of another jail,
      written C(jail@snapshot) (C(create -s)).
    type: str
  clone:
    description: Make the root a ZFS clone instead of a copy (C(create -C)).
    type: bool
    default: false
  type:
    description: The network type (C(create -t)); without it, the host's
      default (C(jailer network use)).
    type: str
    choices: [inherit, new, eb]
  interface:
    description: With C(type=new), the host interface; with C(type=eb),
      the bridge (C(create -b)).
    type: str
  address:
    description:
      - The jail's addresses (C(create -a)), at most one IPv4 address (or
        C(dhcp)) and one IPv6 C(address/prefix) (or C(slaac)).
    type: list
    elements: str
  gateway:
    description: Default routers of a static C(eb) jail (C(create -g)),
      at most one per address family.
    type: list
    elements: str
  netmask:
    description: The netmask of a static C(eb) address (C(create -m)).
    type: str
  domain:
    description: The jail's host name is I(name).I(domain) (C(create -d)).
    type: str
  resolver:
    description: The jail's name server (C(create -e)).
    type: str
  quiet:
    description: Less noise, cron disabled too (C(create -n)).
    type: bool
    default: false
  force:
    description: Pass C(-f) to destroy, stop and restart (remove or stop a
      jail whose stop commands fail).
    type: bool
    default: false
  parameters:
    description:
      - jail(8) parameters of jailer's whitelist (C(jailer set); see
        jailer(8), "Set and get"), a mapping of parameter to value;
        C(null) removes one (C(set -u)). Parameters not named are left as they are.
      - What changes is decided by C(jailer set -D -j), which leaves out
        the values the conf file already has.
    type: dict
  limits:
    description:
      - rctl(8) limits (C(jailer limit)), a mapping of resource to
        C(amount[:action]); C(null) removes the limit (C(limit del)). Limits not named are
        left as they are. The host needs C(kern.racct.enable=1).
    type: dict
  mounts:
    description: Host directories mounted in the jail (C(jailer mount),
      C(jailer umount)), compared with C(jailer mount list -j) by the
      path in the jail. A mount with another host directory or mode is
      unmounted and mounted again (in check mode only the plan of the
      C(umount) is asked). Mounts not named are left as they are.
    type: list
    elements: dict
    suboptions:
      path:
        description: The directory in the jail (absolute).
        type: str
        required: true
      host:
        description: The host directory (required when present).
        type: str
      mode:
        description: Read-only or read-write.
        type: str
        choices: [ro, rw]
        default: ro
      state:
        description: Whether the mount is there.
        type: str
        choices: [present, absent]
        default: present
notes:
  - The snapshot, clone, resolver and quiet options only apply when the
    jail is created; C(jailer info -j) does not show them, so they are not
    compared for a jail that exists.
  - The release is the one jailer recorded on the jail's dataset; a jail
    updated since (C(14.3-RELEASE-p2)) still has the release
    C(14.3-RELEASE). A jail without a record (C(-)) is not compared.
  - A stopped jail's addresses are the ones its conf file gives (a DHCP
    jail's address is the host's dhcpd binding, if any).
  - Parameters, limits and mounts are applied after the jail is created
    and before it is started or stopped. In check mode, for a jail that
    does not exist yet, they are part of the reported change, with no plan.
  - Supports check mode and diff mode (from the plans' before and after).
'''

EXAMPLES = r'''
- name: A jail sharing the host's network
  jailer.core.jail:
    name: www0
    type: inherit

- name: A jail with an address on vtnet0
  jailer.core.jail:
    name: web1
    type: new
    interface: vtnet0
    address: [192.168.64.15, "2001:db8::15/64"]

- name: A VNET jail on bridge0 with a static address
  jailer.core.jail:
    name: db0
    type: eb
    address: [10.0.0.10]
    gateway: [10.0.0.1]
    release: 14.2-RELEASE

- name: Parameters, limits and a read-only mount
  jailer.core.jail:
    name: web1
    parameters:
      allow.raw_sockets: true
      enforce_statfs: 1
      securelevel: null
    limits:
      memoryuse: 1g
      pcpu: "50:log"
    mounts:
      - {host: /srv/www, path: /usr/local/www}
      - {path: /var/upload, state: absent}

- name: Stopped
  jailer.core.jail:
    name: db0
    state: stopped

- name: Gone
  jailer.core.jail:
    name: www0
    state: absent
'''

RETURN = r'''
jail:
  description: The jail as C(jailer info -j) shows it after the run (not
    when absent, nor in check mode for a jail that would be created).
  returned: when the jail exists
  type: dict
  sample: {"name": "www0", "state": "Active", "jid": "1", "network": "inherit"}
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

import ipaddress
import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailer.core.plugins.module_utils.jailer import (
    JAILER_ARGS, Jailer)


def create_args(p):
    a = ['create']
    if p['clone']:
        a.append('-C')
    if p['quiet']:
        a.append('-n')
    for opt, key in (('-r', 'release'), ('-s', 'snapshot'), ('-d', 'domain'),
                     ('-t', 'type'), ('-b', 'interface'), ('-m', 'netmask'),
                     ('-e', 'resolver')):
        if p[key] is not None:
            a += [opt, p[key]]
    for opt, key in (('-a', 'address'), ('-g', 'gateway')):
        for v in p[key] or []:
            a += [opt, v]
    return a + [p['name']]


def family(addr):
    """4, 6 or None (dhcp, slaac, not an address)."""
    if addr == 'slaac':
        return 6
    if addr == 'dhcp':
        return 4
    try:
        return ipaddress.ip_interface(addr).version
    except ValueError:
        return None


def same_addr(want, have):
    if want in ('dhcp', 'slaac'):
        return want == 'slaac' and have == 'slaac' or want == 'dhcp'
    try:
        w = ipaddress.ip_interface(want)
        h = ipaddress.ip_interface(have)
    except ValueError:
        return want == have
    if '/' not in want:
        return w.ip == h.ip
    return w == h


def same_release(want, have):
    """14.3-RELEASE is had by 14.3-RELEASE-p2; 14.3-RELEASE-p1 is not."""
    if re.search(r'-p[0-9]+$', want):
        return want == have
    return re.sub(r'-p[0-9]+$', '', have) == want


def netmask_of(m):
    try:
        return str(ipaddress.ip_network('0.0.0.0/%s' % m).netmask)
    except ValueError:
        return m


def differences(p, info):
    """The creation options the existing jail does not have."""
    d = []

    def cmp(option, want, have, same=lambda w, h: w == h):
        if want is not None and have is not None and not same(want, have):
            d.append('%s: %s wanted, the jail has %s' % (option, want, have))

    if info.get('release') not in (None, '-'):
        cmp('release', p['release'], info.get('release'), same_release)
    cmp('type', p['type'], info.get('network'))
    cmp('interface', p['interface'], info.get('interface'))
    for a in p['address'] or []:
        key = 'ip6' if family(a) == 6 else 'ipv4'
        have = info.get(key, '-') if 'network' in info else None
        cmp('address', a, have, same_addr)
    for g in p['gateway'] or []:
        if family(g) == 4:
            cmp('gateway', g, info.get('gateway'), same_addr)
    if p['netmask'] is not None and info.get('netmask') not in (None, '-'):
        cmp('netmask', netmask_of(p['netmask']), info.get('netmask'))
    if p['domain'] is not None:
        cmp('domain', '%s.%s' % (p['name'], p['domain']),
            info.get('hostname'))
    return d


def param_value(v):
    """A YAML value as jailer set takes it (true/false, numbers)."""
    if isinstance(v, bool):
        return 'true' if v else 'false'
    return str(v)


def settle(j, p, name):
    """Parameters, limits and mounts of an existing jail; changed?"""
    changed = False
    params = p['parameters'] or {}
    kv = ['%s=%s' % (k, param_value(v)) for k, v in sorted(params.items())
          if v is not None]
    unset = sorted(k for k, v in params.items() if v is None)
    if kv:
        changed = j.converge(['set', name] + kv, 1) or changed
    if unset:
        changed = j.converge(['set', name, '-u'] + unset, 1) or changed
    limits = p['limits'] or {}
    kv = ['%s=%s' % (k, v) for k, v in sorted(limits.items())
          if v is not None]
    if kv:
        changed = j.converge(['limit', name] + kv, 1) or changed
    gone = [k for k, v in sorted(limits.items()) if v is None]
    if gone:
        have = set(r['resource'] for r in j.json(['limit', 'list', '-j',
                                                   name]))
        for r in gone:
            if r in have:
                changed = j.step(['limit', 'del', name, r], 2) or changed
    if p['mounts']:
        have = dict((m['path'], m) for m in j.json(['mount', 'list', '-j',
                                                     name]))
        for m in p['mounts']:
            cur = have.get(m['path'])
            if m['state'] == 'absent' or (
                    cur and (cur['host'], cur['mode']) != (m['host'],
                                                           m['mode'])):
                if cur:
                    changed = j.step(['umount', name, m['path']], 1) or \
                        changed
                    if j.module.check_mode:
                        continue    # no plan to mount over a mount
                    cur = None
            if m['state'] == 'present' and not cur:
                changed = j.step(['mount', name, m['host'], m['path'],
                                  m['mode']], 1) or changed
    return changed


def main():
    args = dict(
        name=dict(type='str', required=True),
        state=dict(type='str', default='present',
                   choices=['present', 'absent', 'started', 'stopped',
                            'restarted']),
        release=dict(type='str'),
        snapshot=dict(type='str'),
        clone=dict(type='bool', default=False),
        type=dict(type='str', choices=['inherit', 'new', 'eb']),
        interface=dict(type='str'),
        address=dict(type='list', elements='str'),
        gateway=dict(type='list', elements='str'),
        netmask=dict(type='str'),
        domain=dict(type='str'),
        resolver=dict(type='str'),
        quiet=dict(type='bool', default=False),
        force=dict(type='bool', default=False),
        parameters=dict(type='dict'),
        limits=dict(type='dict'),
        mounts=dict(type='list', elements='dict', options=dict(
            path=dict(type='str', required=True),
            host=dict(type='str'),
            mode=dict(type='str', default='ro', choices=['ro', 'rw']),
            state=dict(type='str', default='present',
                       choices=['present', 'absent']),
        ), required_if=[('state', 'present', ['host'])]),
    )
    args.update(JAILER_ARGS)
    module = AnsibleModule(argument_spec=args, supports_check_mode=True,
                           mutually_exclusive=[('release', 'snapshot')])
    p = module.params
    j = Jailer(module)
    name, state = p['name'], p['state']
    force = ['-f'] if p['force'] else []

    jails = j.jails()
    changed = False
    if state == 'absent':
        if name in jails:
            changed = j.step(['destroy'] + force + [name], 1)
        j.result(changed)

    if name not in jails:
        src = (p['snapshot'] or '').split('@')[0]
        changed = (src and j.not_yet(src)) or j.step(create_args(p), 1)
        if module.check_mode:
            if state == 'restarted' or state == 'stopped':
                changed = True
            j.result(changed)
        running = True
        changed = settle(j, p, name) or changed
    else:
        info = j.info(name)
        diff = differences(p, info)
        if diff:
            module.fail_json(msg='%s exists with other creation options '
                             '(it is never recreated): %s'
                             % (name, '; '.join(diff)), jail=info,
                             differences=diff)
        running = info.get('state') == 'Active'
        changed = settle(j, p, name) or changed
    if state == 'started' and not running:
        changed = j.step(['start', name], 1) or changed
    elif state == 'stopped' and running:
        changed = j.step(['stop'] + force + [name], 1) or changed
    elif state == 'restarted' and name in jails:
        changed = j.step(['restart'] + force + [name], 1) or changed
    j.result(changed, jail=j.info(name))


if __name__ == '__main__':
    main()
