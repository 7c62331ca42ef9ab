# -*- coding: utf-8 -*-
# Shared code of the jailer.core modules: run jailer(8) with an argument
# list (never through a shell), parse its JSON, and turn its failures into
# fail_json with jailer's own message and exit status.

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import re

# The option every module has.
JAILER_ARGS = dict(jailer_path=dict(type='str', default='jailer'))


class Jailer(object):
    """jailer(8) for one module run."""

    def __init__(self, module):
        self.module = module
        self.path = module.params['jailer_path']
        self.commands = []      # what ran that may change the host
        self.plans = []         # the -D -j plans asked

    def run(self, args, check=True):
        """Run jailer ARGS (a list); fail the module when it fails."""
        argv = [self.path] + [str(a) for a in args]
        rc, out, err = self.module.run_command(argv)
        if rc != 0 and check:
            self.fail(argv, rc, out, err)
        return rc, out, err

    def fail(self, argv, rc, out, err, **kw):
        lines = [line for line in err.splitlines() if line.strip()]
        msgs = [line for line in lines if line.startswith('jailer')]
        msg = msgs[0] if msgs else (lines[0] if lines else
                                    'jailer exited with status %d' % rc)
        self.module.fail_json(msg=msg, rc=rc, cmd=argv, stdout=out,
                              stderr=err, **kw)

    def json(self, args):
        """Run a read command with JSON output and return the value."""
        argv = [self.path] + [str(a) for a in args]
        rc, out, err = self.run(args)
        try:
            return json.loads(out)
        except ValueError as e:
            self.module.fail_json(msg='jailer printed no JSON: %s' % e,
                                  cmd=argv, stdout=out, stderr=err)

    def change(self, args):
        """Run a command that changes the host; return its stdout."""
        rc, out, err = self.run(args)
        self.commands.append([self.path] + [str(a) for a in args])
        return out

    def plan(self, args, earlier=None):
        """The -D -j plan of a mutating command: ARGS is the command with
        -D -j already in place.  Returns the plan object, or None when
        this jailer has no -D or no -j for the command (a usage error),
        or when, in check mode, jailer refuses the plan with a message
        that matches the regular expression EARLIER (what an earlier
        task would do first; the message becomes a warning)."""
        argv = [self.path] + [str(a) for a in args]
        rc, out, err = self.module.run_command(argv)
        if rc == 2 and ('unknown option -j' in err or
                        'unknown option -D' in err):
            return None
        if rc == 1 and earlier is not None and self.module.check_mode \
                and re.search(earlier, err):
            self.module.warn('check mode: %s' % err.strip())
            return None
        if rc != 0:
            self.fail(argv, rc, out, err)
        try:
            return json.loads(out)
        except ValueError as e:
            self.module.fail_json(msg='jailer printed no JSON plan: %s' % e,
                                  cmd=argv, stdout=out, stderr=err)

    def step(self, args, n=None):
        """Make one change: run jailer ARGS, or in check mode only its
        plan.  N: the number of words of the command before which -D -j
        go (None: the command has no plan as JSON).  In check mode and in
        diff mode the plan is asked first and kept in self.plans.
        Returns whether the host changes (changed)."""
        p = None
        if n is not None and (self.module.check_mode or self.module._diff):
            p = self.plan(with_dry(args, n))
            if p is not None:
                self.plans.append(p)
        if self.module.check_mode:
            return p['changed'] if p is not None else True
        if p is not None and not p['changed']:
            return False
        self.change(args)
        return True

    def converge(self, args, n):
        """Make one change that jailer itself finds may be none (set,
        limit): its -D -j plan is asked first, always; the command runs
        (not in check mode) only when the plan changes something.
        Returns the plan's changed."""
        p = self.plan(with_dry(args, n))
        if p is None:
            self.module.fail_json(msg='this jailer has no -D -j for %s'
                                  % ' '.join(args[:n]))
        self.plans.append(p)
        if p['changed'] and not self.module.check_mode:
            self.change(args)
        return p['changed']

    def not_yet(self, jail):
        """In check mode: True (with a warning) when JAIL does not exist,
        so that no plan can be made for a change to it (an earlier task
        would create it)."""
        if not self.module.check_mode or jail in self.jails():
            return False
        self.module.warn('check mode: %s does not exist yet, no plan asked'
                         % jail)
        return True

    def result(self, changed, **kw):
        """exit_json with the commands that ran, the plans and the diff."""
        kw.update(changed=changed, commands=self.commands,
                  plans=self.plans)
        diff = plan_diff(self.plans)
        if diff:
            kw['diff'] = diff
        self.module.exit_json(**kw)

    # Read commands.
    def jails(self):
        return dict((j['name'], j) for j in self.json(['list', '-j']))

    def info(self, name):
        return self.json(['info', '-j', name])

    def images(self):
        return dict((i['name'], i) for i in self.json(['image', 'list', '-j']))


def plan_diff(plans):
    """Ansible diffs from the changes of plans that have before/after."""
    diffs = []
    for p in plans:
        for c in (p or {}).get('changes', []):
            if 'before' in c or 'after' in c:
                name = c.get('name', c.get('object', ''))
                diffs.append(dict(before_header=name, after_header=name,
                                  before=c.get('before', ''),
                                  after=c.get('after', '')))
    return diffs


def with_dry(args, n):
    """ARGS with -D -j inserted after the first N words (the command)."""
    return list(args[:n]) + ['-D', '-j'] + list(args[n:])
