#!/usr/bin/python3
"""Python's own OAuth 1.0a clients against an example verify server (issue 23, tier 3).

    /usr/bin/python3 tests/oauthlib/clients_verify.py BASE_URL

sends requests signed by requests-oauthlib (`OAuth1`, over oauthlib 3.2's Client: HMAC-SHA1,
HMAC-SHA256, HMAC-SHA512 and PLAINTEXT, each in AUTH_HEADER, QUERY and BODY) and by authlib 1.2
(`OAuth1Auth`: HMAC-SHA1 and PLAINTEXT, the methods it ships besides RSA-SHA1, which the
verifier does not have; HEADER, QUERY and BODY; and its `oauth_body_hash` of a JSON body,
which it adds with `force_include_body`) to examples/verify-server.mjs or examples/verify.rs
(consumer `ck`/`cs`, token `t`/`ts`). The clients draw their own nonces and read the clock.

Each signed request is sent three times: with one value changed after signing (`limit=10`
becomes `limit=11`; HMAC methods only: PLAINTEXT signs no value), as signed, and again (a
replay). The JSON body is also sent changed after signing. Prints one JSON line per request
sent: {"client", "method", "placement", "request", "step", "status", "body", "challenge"};
tests/js/verify-example.test.mjs holds every expectation. A BODY placement is sent with the
form POST only: a GET has no body.
"""

import json
import os
import sys

import requests
from authlib.integrations.requests_client import OAuth1Auth
from requests_oauthlib import OAuth1

BASE = sys.argv[1]
# authlib refuses http unless told: the server is on loopback.
os.environ['AUTHLIB_INSECURE_TRANSPORT'] = '1'

PATH = '/lite/users/u1/messages'
# The requests every client signs (the same as the Node clients' in verify-example.test.mjs).
REQUESTS = {
    'GET': dict(method='GET', url=f'{BASE}{PATH}?limit=10&q=a%20b'),
    'POST': dict(method='POST', url=f'{BASE}{PATH}?limit=10', data=[('name', 'a b+c'), ('é', '😀')]),
}
JSON_BODY = '{"subject": "a b", "n": 1}'

session = requests.Session()
session.trust_env = False  # never a proxy: the server is on loopback


def emit(**kw):
    sys.stdout.write(json.dumps(kw, ensure_ascii=False) + '\n')
    sys.stdout.flush()


def send(where, step, prepared):
    try:
        r = session.send(prepared, allow_redirects=False, timeout=30)
    except Exception as e:  # noqa: BLE001 - reported as a line the test fails on
        return emit(**where, step=step, status=None, body=f'{type(e).__name__}: {e}', challenge=None)
    emit(**where, step=step, status=r.status_code, body=r.text, challenge=r.headers.get('WWW-Authenticate'))


def changed(prepared):
    """The signed request with one value of its query changed."""
    m = prepared.copy()
    m.url = m.url.replace('limit=10', 'limit=11', 1)
    assert m.url != prepared.url, prepared.url
    return m


def three_times(where, prepared, method):
    if method != 'PLAINTEXT':
        send(where, 'changed', changed(prepared))
    send(where, 'sent', prepared)
    send(where, 'replayed', prepared)


def prepare(auth, name):
    try:
        return session.prepare_request(requests.Request(auth=auth, **REQUESTS[name]))
    except Exception as e:  # noqa: BLE001 - a client that cannot sign it: the test fails on the line
        return e


def run(client, method, placement, make_auth, names):
    for name in names:
        where = dict(client=client, method=method, placement=placement, request=name)
        prepared = prepare(make_auth(), name)
        if isinstance(prepared, Exception):
            emit(**where, step='sign', status=None, body=f'{type(prepared).__name__}: {prepared}', challenge=None)
            continue
        three_times(where, prepared, method)


PLACEMENTS = {'header': ('AUTH_HEADER', 'HEADER'), 'query': ('QUERY', 'QUERY'), 'body': ('BODY', 'BODY')}


def names_for(placement):
    return ['POST'] if placement == 'body' else ['GET', 'POST']


def main():
    for method in ('HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'):
        for placement, (oauthlib_type, _) in PLACEMENTS.items():
            run('requests-oauthlib', method, placement,
                lambda m=method, t=oauthlib_type: OAuth1('ck', 'cs', 't', 'ts', signature_method=m, signature_type=t),
                names_for(placement))
    # authlib 1.2 signs HMAC-SHA1, RSA-SHA1 and PLAINTEXT only (ClientAuth.SIGNATURE_METHODS).
    for method in ('HMAC-SHA1', 'PLAINTEXT'):
        for placement, (_, authlib_type) in PLACEMENTS.items():
            run('authlib', method, placement,
                lambda m=method, t=authlib_type: OAuth1Auth('ck', 'cs', 't', 'ts', signature_method=m, signature_type=t),
                names_for(placement))
    # authlib's oauth_body_hash (SHA-1 of the body, draft-eaton-oauth-bodyhash) of a JSON body.
    where = dict(client='authlib', method='HMAC-SHA1', placement='header', request='POST json')
    auth = OAuth1Auth('ck', 'cs', 't', 'ts', force_include_body=True)
    prepared = session.prepare_request(requests.Request(
        'POST', f'{BASE}{PATH}?limit=10', data=JSON_BODY.encode(), headers={'Content-Type': 'application/json'}, auth=auth))
    if 'oauth_body_hash' not in prepared.headers.get('Authorization', ''):
        emit(**where, step='sign', status=None, body='authlib sent no oauth_body_hash', challenge=None)
    body_changed = prepared.copy()
    body_changed.body = JSON_BODY.replace('1', '2').encode()
    send(where, 'body changed', body_changed)
    three_times(where, prepared, 'HMAC-SHA1')


if __name__ == '__main__':
    main()
