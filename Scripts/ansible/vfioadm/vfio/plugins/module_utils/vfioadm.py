# -*- coding: utf-8 -*-
"""Runs vfioadm with --json and reads its reports (stdout) and errors (stderr).

vfioadm's contract (README, "JSON" and "Exit status"): the report is one JSON
object on stdout; an error is {"error": {code, message, exitStatus, ...}} on
stderr; a write that blocks past --timeout is reported on stderr as
{code: "write-stuck", ...} while it waits.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def binary_path(module):
    """The vfioadm to run: the `binary` option, looked up on PATH when it is a bare name."""
    binary = module.params['binary']
    if '/' in binary:
        return binary
    return module.get_bin_path(binary, required=True)


def stderr_objects(stderr):
    """Every JSON object vfioadm wrote to stderr, in order; text that is not JSON is skipped."""
    decoder = json.JSONDecoder()
    objects = []
    index = 0
    while True:
        start = stderr.find('{', index)
        if start < 0:
            return objects
        try:
            value, index = decoder.raw_decode(stderr, start)
        except ValueError:
            index = start + 1
            continue
        if isinstance(value, dict):
            objects.append(value)


def run(module, arguments, report_statuses=(0,)):
    """Runs `vfioadm ARGUMENTS --json`; returns (rc, report, error, command).

    `report` is the JSON report on stdout when there is one (None otherwise),
    `error` the `error` object from stderr (None when there is none). A blocked
    write vfioadm reported on stderr becomes a warning. The caller decides what
    is a failure: `report_statuses` only says which exit statuses are expected
    to come with a report, so that a missing or malformed one fails here.
    """
    command = [binary_path(module)] + list(arguments)
    rc, stdout, stderr = module.run_command(command, environ_update={'LC_ALL': 'C'})
    error = None
    for value in stderr_objects(stderr):
        if isinstance(value.get('error'), dict):
            error = value['error']
        elif value.get('code') == 'write-stuck':
            module.warn('vfioadm: write of %r to %s blocked for %ss: %s' % (
                value.get('value'), value.get('path'), value.get('seconds'), value.get('cause')))
    report = None
    if stdout.strip():
        try:
            report = json.loads(stdout)
        except ValueError as exc:
            module.fail_json(msg='vfioadm printed no JSON report (%s)' % exc, rc=rc, cmd=command,
                             stdout=stdout, stderr=stderr)
    if rc in report_statuses and report is None:
        module.fail_json(msg='vfioadm exited %d without a report' % rc, rc=rc, cmd=command, stderr=stderr)
    return rc, report, error, command


def fail(module, rc, command, error, report=None, reason=None):
    """Fails the task with vfioadm's own message and exit status.

    The message is vfioadm's error message from stderr; a refusal has none (its
    report is the answer), so `reason` says why from the report instead.
    """
    if error is not None and error.get('message'):
        message = error['message']
    elif reason:
        message = reason
    else:
        message = 'vfioadm exited %d' % rc
    result = dict(msg=message, rc=rc, cmd=command)
    if error is not None:
        result['error'] = error
    if report is not None:
        result['report'] = report
    module.fail_json(**result)
