#!/usr/bin/python
# -*- coding: utf-8 -*-
# What jailer(8) manages on a host, as facts.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: jailer_facts
short_description: Facts about jailer's images, jails, NAT and redirections
description:
  - Sets C(ansible_facts.jailer) from jailer's read commands,
    C(version -j), C(init info -j), C(image list -j), C(list -j),
    C(info -j) for each jail, C(nat list -j) and C(rdr list -j). Nothing
    is changed.
  - A running jail that jailer does not manage and whose name jailer
    refuses (a jail made by hand, a child jail) is given as C(list -j)
    shows it, with a warning.
version_added: "0.1.0"
author: jailer developers
extends_documentation_fragment:
  - jailer.core.jailer
'''

EXAMPLES = r'''
- name: What jailer has
  jailer.core.jailer_facts:

- name: The running jails
  ansible.builtin.debug:
    msg: "{{ ansible_facts.jailer.jails | dict2items
             | selectattr('value.state', 'eq', 'Active')
             | map(attribute='key') | list }}"
'''

RETURN = r'''
ansible_facts:
  description: The facts.
  returned: always
  type: complex
  contains:
    jailer:
      description: What jailer manages.
      type: complex
      contains:
        version:
          description: jailer's version (C(jailer version -j)).
          type: str
          sample: "0.2.0"
        host:
          description: C(jailer init info -j).
          type: dict
          sample: {"jailer_dir_set": true, "pf_enabled": true, "hints": []}
        images:
          description: C(jailer image list -j).
          type: list
          elements: dict
          sample: [{"name": "14.3-RELEASE", "default": "yes", "patch": "0"}]
        jails:
          description: Each jail's C(jailer info -j), by name.
          type: dict
          sample: {"www0": {"name": "www0", "state": "Active", "network": "inherit"}}
        nat:
          description: C(jailer nat list -j).
          type: list
          elements: dict
        rdr:
          description: C(jailer rdr list -j).
          type: list
          elements: dict
'''

import json

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.jailer.core.plugins.module_utils.jailer import (
    JAILER_ARGS, Jailer)


def main():
    module = AnsibleModule(argument_spec=dict(JAILER_ARGS),
                           supports_check_mode=True)
    j = Jailer(module)
    jails = {}
    for name, row in sorted(j.jails().items()):
        rc, out, err = j.run(['info', '-j', name], check=False)
        try:
            jails[name] = json.loads(out) if rc == 0 else None
        except ValueError:
            jails[name] = None
        if jails[name] is None:
            module.warn('jailer info %r: %s' % (name, err.strip()))
            jails[name] = row
    facts = dict(
        version=j.json(['version', '-j'])['version'],
        host=j.json(['init', 'info', '-j']),
        images=j.json(['image', 'list', '-j']),
        jails=jails,
        nat=j.json(['nat', 'list', '-j']),
        rdr=j.json(['rdr', 'list', '-j']),
    )
    module.exit_json(changed=False, ansible_facts=dict(jailer=facts))


if __name__ == '__main__':
    main()
