#!/usr/bin/python3
"""A real RFC 5849 §2 provider: oauthlib's own endpoints behind Python's http.server.

    /usr/bin/python3 tests/oauthlib/provider.py --consumer-key KEY --consumer-secret SECRET [--port 0]

(or OAUTH_CONSUMER_KEY / OAUTH_CONSUMER_SECRET in the environment). Listens on 127.0.0.1 (a free
port unless --port is given) and prints one line on stdout when ready: the base URL,
e.g. `http://127.0.0.1:41234`. Routes:

    POST /request_token   RFC 5849 §2.1, oauthlib's RequestTokenEndpoint (oauth_callback required:
                          an absolute URL or 'oob'); answers oauth_token, oauth_token_secret,
                          oauth_callback_confirmed (form-encoded)
    GET  /authorize?oauth_token=T
                          §2.2, the user approves (as the user's browser would, with no login):
                          oauthlib's AuthorizationEndpoint issues the verifier and answers a
                          302 to the callback with oauth_token and oauth_verifier added, or, for
                          'oob', 200 with them form-encoded in the body
    POST /access_token    §2.3, oauthlib's AccessTokenEndpoint (the temporary credentials and
                          oauth_verifier); answers oauth_token, oauth_token_secret
    ANY  /resource...     §3, oauthlib's ResourceEndpoint with the token credentials; answers 200
                          and JSON {"ok": true, "method", "path", "params", "bodyHash"}; with
                          oauth_body_hash (draft-eaton-oauth-bodyhash) the hash of the exact body
                          bytes is checked here (oauthlib does not): 401 when it differs, 400 on a
                          form-encoded body, where the draft forbids it
    GET  /log             the refusals so far, as JSON lines (oauthlib logs why it refused)

Every signature method oauthlib verifies with a shared secret is allowed: HMAC-SHA1,
HMAC-SHA256, HMAC-SHA512 and PLAINTEXT. A refusal answers oauthlib's status (400 or 401) and
its form-encoded error body; with --verbose oauthlib's reasons go to stderr.

The validator keeps oauthlib's defaults except where a test client needs otherwise, each said
where it is done: no TLS (the provider is on loopback) (everything else is oauthlib's default, its nonce check included).
"""

import argparse
import base64
import hashlib
import json
import logging
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import oauthlib
from oauthlib.oauth1 import (
    AccessTokenEndpoint, AuthorizationEndpoint, RequestTokenEndpoint, RequestValidator, ResourceEndpoint,
)
from oauthlib.oauth1.rfc5849 import errors, utils

BODY_HASHES = {'HMAC-SHA1': hashlib.sha1, 'HMAC-SHA256': hashlib.sha256, 'HMAC-SHA512': hashlib.sha512}


class Validator(RequestValidator):
    """One client; temporary credentials, verifiers and token credentials kept in memory."""

    def __init__(self, consumer_key, consumer_secret):
        super().__init__()
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.lock = threading.Lock()
        self.request_tokens = {}  # token -> {'secret', 'callback', 'verifier'}
        self.access_tokens = {}  # token -> secret
        self.nonces = set()

    # -- policy --------------------------------------------------------------------------

    @property
    def enforce_ssl(self):
        # The provider listens on loopback only: plain http is the transport there.
        return False

    @property
    def allowed_signature_methods(self):
        return ('HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT')

    # safe_characters, nonce_length: oauthlib's defaults (A-Z a-z 0-9, 20 to 30 characters), as
    # the Django and Flask providers keep them: the package's default nonce (25 letters and
    # digits since issue 22) must pass them, and every key, token and verifier here is of them.

    @property
    def dummy_client(self):
        return 'dummy_client_key_000000'

    @property
    def dummy_request_token(self):
        return 'dummy_request_token_0000'

    @property
    def dummy_access_token(self):
        return 'dummy_access_token_00000'

    # -- the client -------------------------------------------------------------------------

    def validate_client_key(self, client_key, request):
        return client_key == self.consumer_key

    def get_client_secret(self, client_key, request):
        # A dummy secret for an unknown client, so that timing says nothing (oauthlib's advice).
        return self.consumer_secret if client_key == self.consumer_key else 'dummy-secret'

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token or access_token)
        with self.lock:
            if key in self.nonces:
                return False
            self.nonces.add(key)
        return True

    def get_default_realms(self, client_key, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        # RFC 5849 §2.1: an absolute URI, or 'oob' for out of band.
        if redirect_uri == 'oob':
            return True
        parts = urlsplit(redirect_uri)
        return parts.scheme in ('http', 'https') and bool(parts.netloc)

    # -- temporary credentials (§2.1, §2.2) ---------------------------------------------------

    def save_request_token(self, token, request):
        with self.lock:
            self.request_tokens[token['oauth_token']] = {
                'secret': token['oauth_token_secret'],
                'callback': request.redirect_uri,
                'verifier': None,
            }

    def verify_request_token(self, token, request):
        return token in self.request_tokens

    def get_redirect_uri(self, token, request):
        return self.request_tokens[token]['callback']

    def get_realms(self, token, request):
        return []

    def verify_realms(self, token, realms, request):
        return True

    def save_verifier(self, token, verifier, request):
        with self.lock:
            self.request_tokens[token]['verifier'] = verifier['oauth_verifier']

    def validate_request_token(self, client_key, token, request):
        return token in self.request_tokens

    def get_request_token_secret(self, client_key, token, request):
        entry = self.request_tokens.get(token)
        return entry['secret'] if entry else 'dummy-secret'

    def validate_verifier(self, client_key, token, verifier, request):
        entry = self.request_tokens.get(token)
        return bool(entry and entry['verifier'] and entry['verifier'] == verifier)

    def invalidate_request_token(self, client_key, request_token, request):
        with self.lock:
            self.request_tokens.pop(request_token, None)

    # -- token credentials (§2.3) and protected resources ----------------------------------------

    def save_access_token(self, token, request):
        with self.lock:
            self.access_tokens[token['oauth_token']] = token['oauth_token_secret']

    def validate_access_token(self, client_key, token, request):
        return token in self.access_tokens

    def get_access_token_secret(self, client_key, token, request):
        return self.access_tokens.get(token, 'dummy-secret')

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True


class LogCapture(logging.Handler):
    """Keeps oauthlib's debug lines (why a request was refused) for /log."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))
        del self.lines[:-200]


def make_handler(validator, capture, verbose):
    request_token = RequestTokenEndpoint(validator)
    authorization = AuthorizationEndpoint(validator)
    access_token = AccessTokenEndpoint(validator)
    resource = ResourceEndpoint(validator)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'
        server_version = f'oauthlib-provider oauthlib/{oauthlib.__version__}'

        def log_message(self, fmt, *args):
            if verbose:
                sys.stderr.write('provider: ' + (fmt % args) + '\n')

        def answer(self, status, body, headers=None):
            data = body.encode('utf-8') if isinstance(body, str) else (body or b'')
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(data)

        def refuse(self, status, why):
            capture.lines.append(f'{self.command} {self.path}: {status} {why}')
            self.answer(status, json.dumps({'ok': False, 'error': why}), {'Content-Type': 'application/json'})

        def handle_any(self):
            length = int(self.headers.get('Content-Length') or 0)
            raw = self.rfile.read(length) if length else b''
            # The URI as the client signed it: the Host header and the request target.
            uri = f"http://{self.headers.get('Host')}{self.path}"
            headers = {k: v for k, v in self.headers.items()}
            path = urlsplit(self.path).path
            try:
                body = raw.decode('utf-8')
            except UnicodeDecodeError:
                return self.refuse(400, 'the body is not UTF-8')
            try:
                if path == '/request_token' and self.command == 'POST':
                    h, b, s = request_token.create_request_token_response(uri, self.command, body, headers)
                    return self.endpoint_answer(h, b, s)
                if path == '/access_token' and self.command == 'POST':
                    h, b, s = access_token.create_access_token_response(uri, self.command, body, headers)
                    return self.endpoint_answer(h, b, s)
                if path == '/authorize' and self.command == 'GET':
                    # The user approves: no login here, a test plays the browser.
                    h, b, s = authorization.create_authorization_response(uri, self.command, body, headers)
                    return self.endpoint_answer(h, b, s)
                if path == '/log' and self.command == 'GET':
                    return self.answer(200, '\n'.join(capture.lines) + '\n', {'Content-Type': 'text/plain'})
                if path == '/resource' or path.startswith('/resource/'):
                    return self.protected(uri, body, raw, headers, path)
            except ValueError as e:
                # oauthlib.common.Request refuses a query it cannot decode (urldecode).
                return self.refuse(400, f'oauthlib could not read the request: {e}')
            except errors.OAuth1Error as e:
                capture.lines.append(f'{self.command} {self.path}: {e.status_code} {e.urlencoded}')
                return self.answer(e.status_code, e.urlencoded, {'Content-Type': 'application/x-www-form-urlencoded'})
            return self.refuse(404, f'no route {self.command} {path}')

        def endpoint_answer(self, h, b, s):
            if s >= 400:
                capture.lines.append(f'{self.command} {self.path}: {s} {b}')
            self.answer(s, b or '', h)

        def protected(self, uri, body, raw, headers, path):
            # ResourceEndpoint answers only valid or not: read the request first as it does
            # (its _create_request) to answer oauthlib's own 400 and reason for a request it
            # cannot read (oauth_ parameters in two places, duplicated or missing).
            try:
                resource._create_request(uri, self.command, body, headers)
            except errors.OAuth1Error as e:
                capture.lines.append(f'{self.command} {self.path}: {e.status_code} {e.description}')
                return self.answer(e.status_code, e.urlencoded, {'Content-Type': 'application/x-www-form-urlencoded'})
            valid, request = resource.validate_protected_resource_request(uri, self.command, body, headers)
            if not valid:
                return self.refuse(401, 'oauthlib refused the signature or the credentials (GET /log has its reasons)')
            oauth = request.oauth_params
            sent_hash = oauth.get('oauth_body_hash')
            checked = None
            if sent_hash is not None:
                content_type = headers.get('Content-Type', '')
                if content_type.split(';')[0].strip().lower() == 'application/x-www-form-urlencoded':
                    return self.refuse(400, 'oauth_body_hash on a form-encoded body (draft-eaton-oauth-bodyhash §3.2 forbids it)')
                h = BODY_HASHES.get(request.signature_method)
                if h is None:
                    return self.refuse(400, f'oauth_body_hash with {request.signature_method}, which has no hash')
                want = base64.b64encode(h(raw).digest()).decode('ascii')
                if want != sent_hash:
                    return self.refuse(401, f'oauth_body_hash {sent_hash} is not the hash of the body sent ({want})')
                checked = want
            self.answer(200, json.dumps({
                'ok': True,
                'method': self.command,
                'path': path,
                'signatureMethod': request.signature_method,
                'params': [list(p) for p in request.params],
                'bodyHash': checked,
            }), {'Content-Type': 'application/json'})

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--consumer-key', default=os.environ.get('OAUTH_CONSUMER_KEY'))
    ap.add_argument('--consumer-secret', default=os.environ.get('OAUTH_CONSUMER_SECRET'))
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--verbose', action='store_true')
    args = ap.parse_args()
    if not args.consumer_key or not args.consumer_secret:
        ap.error('a consumer key and secret are required (--consumer-key/--consumer-secret or OAUTH_CONSUMER_KEY/OAUTH_CONSUMER_SECRET)')
    validator = Validator(args.consumer_key, args.consumer_secret)
    if not validator.check_client_key(args.consumer_key):
        lo, hi = validator.client_key_length
        ap.error(f'oauthlib refuses this consumer key: {lo} to {hi} characters of A-Z a-z 0-9 - _')

    capture = LogCapture()
    log = logging.getLogger('oauthlib')
    log.setLevel(logging.DEBUG)
    log.addHandler(capture)
    if args.verbose:
        log.addHandler(logging.StreamHandler(sys.stderr))

    server = ThreadingHTTPServer(('127.0.0.1', args.port), make_handler(validator, capture, args.verbose))
    server.daemon_threads = True
    sys.stdout.write(f'http://127.0.0.1:{server.server_address[1]}\n')
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
