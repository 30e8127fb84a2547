#!/usr/bin/python3
"""Checks the provider (provider.py) with real clients other than the package.

    /usr/bin/python3 tests/oauthlib/clients.py BASE_URL CONSUMER_KEY CONSUMER_SECRET

walks the RFC 5849 §2 flow and a protected request with requests-oauthlib's OAuth1Session (every
method and placement it signs) and with authlib's OAuth1Session (HMAC-SHA1 and PLAINTEXT: the
methods authlib 1.2 ships), then sends the requests a strict provider refuses. With a consumer
secret that needs percent-encoding, PLAINTEXT in the query or the body is refused: oauthlib
decodes an oauth_ value from there twice (see README.md here). Prints one JSON
line per check: {"client", "method", "placement", "step", "status", "ok"}. A sanity check of the
provider itself (tests/oauthlib/flow.test.mjs runs it), not of the package.
"""

import json
import os
import sys
from urllib.parse import parse_qsl, urlsplit

import requests
from authlib.integrations.requests_client import OAuth1Session as AuthlibSession
from oauthlib.oauth1 import Client
from requests_oauthlib import OAuth1, OAuth1Session

BASE, KEY, SECRET = sys.argv[1:4]
# authlib refuses http unless told: the provider is on loopback.
os.environ['AUTHLIB_INSECURE_TRANSPORT'] = '1'
CALLBACK = 'https://client.example/callback?state=s%201'


def emit(**kw):
    sys.stdout.write(json.dumps(kw) + '\n')
    sys.stdout.flush()


def session(s):
    s.trust_env = False  # never a proxy: the provider is on loopback
    return s


def authorize(token):
    """The user's browser: GET /authorize, read the verifier from the redirect to the callback."""
    r = session(requests.Session()).get(f'{BASE}/authorize', params={'oauth_token': token}, allow_redirects=False)
    location = r.headers.get('Location', '')
    query = dict(parse_qsl(urlsplit(location).query))
    return r.status_code, query.get('oauth_verifier'), location


def requests_oauthlib_flow(method, placement):
    sig_type = {'header': 'AUTH_HEADER', 'query': 'QUERY', 'body': 'BODY'}[placement]
    common = dict(client_key=KEY, client_secret=SECRET, signature_method=method, signature_type=sig_type)
    where = dict(client='requests-oauthlib', method=method, placement=placement)
    s = session(OAuth1Session(callback_uri=CALLBACK, **common))
    try:
        temp = s.fetch_request_token(f'{BASE}/request_token')
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        return emit(**where, step='request_token', ok=False, error=str(e))
    emit(**where, step='request_token', ok=True)
    status, verifier, _ = authorize(temp['oauth_token'])
    emit(**where, step='authorize', status=status, ok=status == 302 and bool(verifier))
    s = session(OAuth1Session(resource_owner_key=temp['oauth_token'], resource_owner_secret=temp['oauth_token_secret'], verifier=verifier, **common))
    try:
        access = s.fetch_access_token(f'{BASE}/access_token')
    except Exception as e:  # noqa: BLE001
        return emit(**where, step='access_token', ok=False, error=str(e))
    emit(**where, step='access_token', ok=True)
    auth = OAuth1(KEY, SECRET, access['oauth_token'], access['oauth_token_secret'], signature_method=method, signature_type=sig_type)
    if placement != 'body':  # a GET has no body to carry them
        r = session(requests.Session()).get(f'{BASE}/resource?a=1&b=x%20y', auth=auth)
        emit(**where, step='protected GET', status=r.status_code, ok=r.status_code == 200)
    r = session(requests.Session()).post(f'{BASE}/resource/items', data={'name': 'a b', 'n': '1'}, auth=auth)
    emit(**where, step='protected form POST', status=r.status_code, ok=r.status_code == 200)
    return access


def authlib_flow(method):
    where = dict(client='authlib', method=method, placement='header')
    # A callback without '%': authlib 1.2 signs one with an escape in it differently from
    # oauthlib and RFC 5849 (the provider's base string is the RFC's; authlib's is not).
    s = session(AuthlibSession(KEY, SECRET, redirect_uri='https://client.example/callback', signature_method=method))
    try:
        temp = s.fetch_request_token(f'{BASE}/request_token')
    except Exception as e:  # noqa: BLE001
        return emit(**where, step='request_token', ok=False, error=str(e))
    emit(**where, step='request_token', ok=True)
    status, verifier, location = authorize(temp['oauth_token'])
    emit(**where, step='authorize', status=status, ok=status == 302 and bool(verifier))
    s.parse_authorization_response(location)
    try:
        access = s.fetch_access_token(f'{BASE}/access_token')
    except Exception as e:  # noqa: BLE001
        return emit(**where, step='access_token', ok=False, error=str(e))
    emit(**where, step='access_token', ok=True)
    r = s.get(f'{BASE}/resource?a=1')
    emit(**where, step='protected GET', status=r.status_code, ok=r.status_code == 200)
    return access


def strict_refusals(access):
    """What this oauthlib refuses: oauth_ parameters split over two places. (And what it does
    not: PLAINTEXT in the query or the body, checked by the flow above.)"""
    client = Client(KEY, SECRET, access['oauth_token'], access['oauth_token_secret'])
    # oauth_callback as an ordinary query parameter while the protocol parameters go in the header:
    # what the package did before issue 22.
    uri, headers, _ = client.sign(f'{BASE}/resource?oauth_callback=oob', 'GET')
    r = session(requests.Session()).get(uri, headers=headers)
    emit(client='oauthlib.Client', method='HMAC-SHA1', placement='header + query', step='split oauth_ parameters refused', status=r.status_code, ok=r.status_code == 400)
    # A wrong signature is refused.
    uri, headers, _ = Client(KEY, 'not-the-secret', access['oauth_token'], access['oauth_token_secret']).sign(f'{BASE}/resource', 'GET')
    r = session(requests.Session()).get(uri, headers=headers)
    emit(client='oauthlib.Client', method='HMAC-SHA1', placement='header', step='wrong secret refused', status=r.status_code, ok=r.status_code == 401)


def main():
    access = None
    for method in ('HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'):
        for placement in ('header', 'query', 'body'):
            access = requests_oauthlib_flow(method, placement) or access
    for method in ('HMAC-SHA1', 'PLAINTEXT'):
        authlib_flow(method)
    if access:
        strict_refusals(access)


if __name__ == '__main__':
    main()
