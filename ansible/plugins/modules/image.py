#!/usr/bin/python
# -*- coding: utf-8 -*-
# A FreeBSD release image managed by jailer(8).

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: image
short_description: Fetch, destroy and choose the default jailer image
description:
  - Makes a FreeBSD release image exist (C(jailer image fetch RELEASE)) or
    go away (C(jailer image destroy RELEASE)), and makes it the default for
    new jails (C(jailer image use RELEASE)).
  - jailer refuses to destroy an image a jail is cloned from; its message
    is passed through as the failure.
  - When nothing is needed, only C(jailer image list -j) runs.
  - In check mode and diff mode the C(-D -j) plan of C(image fetch),
    C(image destroy) and C(image use) is asked (the plan of C(image use)
    shows the default before and after). In check mode, making an image
    the default that is not fetched yet is a change without a plan.
version_added: "0.1.0"
author: jailer developers
extends_documentation_fragment:
  - jailer.core.jailer
options:
  release:
    description: The release, such as C(14.3-RELEASE).
    type: str
    required: true
  state:
    description: Whether the image is installed.
    type: str
    choices: [present, absent]
    default: present
  default:
    description: Make the image the default for new jails. C(false)
      leaves the default as it is (jailer cannot unset it).
    type: bool
    default: false
  pkgbase:
    description: Install the image from FreeBSD-base packages
      (C(image fetch -p)); only when it is fetched.
    type: bool
    default: false
'''

EXAMPLES = r'''
- name: Two releases, 14.3 the default
  jailer.core.image:
    release: "{{ item }}"
    default: "{{ item == '14.3-RELEASE' }}"
  loop: [14.2-RELEASE, 14.3-RELEASE]

- name: No 14.2 any more
  jailer.core.image:
    release: 14.2-RELEASE
    state: absent
'''

RETURN = r'''
image:
  description: The image as C(jailer image list -j) shows it after the run.
  returned: when the image exists (not in check mode for a new one)
  type: dict
  sample: {"name": "14.3-RELEASE", "default": "yes", "patch": "0"}
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


def main():
    args = dict(
        release=dict(type='str', required=True),
        state=dict(type='str', default='present',
                   choices=['present', 'absent']),
        default=dict(type='bool', default=False),
        pkgbase=dict(type='bool', default=False),
    )
    args.update(JAILER_ARGS)
    module = AnsibleModule(argument_spec=args, supports_check_mode=True)
    p = module.params
    j = Jailer(module)
    rel = p['release']
    images = j.images()
    changed = False
    if p['state'] == 'absent':
        if rel in images:
            changed = j.step(['image', 'destroy', rel], 2)
        j.result(changed)
    if rel not in images:
        changed = j.step(['image', 'fetch'] + (['-p'] if p['pkgbase'] else [])
                         + [rel], 2)
    if p['default'] and (rel not in images or
                         images[rel].get('default') != 'yes'):
        if module.check_mode and rel not in images:
            changed = True      # no plan for an image not fetched yet
        else:
            changed = j.step(['image', 'use', rel], 2) or changed
    if module.check_mode and rel not in images:
        j.result(changed)
    j.result(changed, image=j.images().get(rel))


if __name__ == '__main__':
    main()
