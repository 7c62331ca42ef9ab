# -*- coding: utf-8 -*-
# The option every jailer.core module has.

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r'''
options:
  jailer_path:
    description: The jailer program.
    type: str
    default: jailer
'''
