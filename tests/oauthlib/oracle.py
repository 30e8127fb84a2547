#!/usr/bin/python3
"""The second referee: what oauthlib's server side computes for a request as it arrived.

Reads JSON lines on stdin, one request each:

    {"id": 1, "method": "POST", "url": "http://h/p?q=1",
     "authorization": "OAuth ..." | null, "contentType": "..." | null,
     "body": "<base64 of the body bytes>" | null,
     "consumerSecret": "...", "tokenSecret": "..."}

and writes one JSON line per request, in order:

    {"id": 1, "ok": true, "params": [[name, value], ...], "baseUri": "...",
     "signatureMethod": "HMAC-SHA256", "sentSignature": "...",
     "verified": true, "signature": "<what oauthlib computes for that method>",
     "normalizedParameters": "...", "baseString": "...",
     "bodyHash": {"SHA-1": "...", "SHA-256": "...", "SHA-512": "..."},
     "escaped": ["query"], "notes": [...], "quirks": [...]}

"verified" is the answer of oauthlib's verify function. When it accepts an HMAC signature, the
normalized parameters and base string are left out and "impliedByVerify" is true: oauthlib's
HMAC over its own base string is then the signature sent (they are computed, and the signature
oauthlib would send, for PLAINTEXT and for every refusal). "bodyHash" is there when the request
carries oauth_body_hash.

or {"id": 1, "ok": false, "error": "...", "quirks": [...]} when oauthlib cannot read the request.

"quirks" names the ways oauthlib 3.2 is known to read this request differently from RFC 5849,
so that its answer is not the RFC's (each checked on the request, not guessed):
  - it %-decodes an oauth_ value from the query or the body a second time (collect_parameters);
  - it drops every parameter named `realm`, from the query and the body too, when the
    Authorization header holds the string 'realm' (endpoints/base.py `_create_request`);
  - urllib's urlparse takes a `;` in the last path segment for the start of RFC 2396 "params",
    and base_string_uri drops an empty one (a path ending in `;`);
  - base_string_uri refuses port 0.
"notes" says what oauthlib's endpoints would refuse although the signature is right: oauth_
parameters in more than one place, or duplicated.

Everything OAuth here is oauthlib's (oauthlib.oauth1.rfc5849.signature: collect_parameters,
normalize_parameters, base_string_uri, signature_base_string, verify_hmac_sha1/256/512,
verify_plaintext, sign_*_with_client); the request object is built the way oauthlib's own
endpoints build it (endpoints/base.py `_create_request`). Two choices are this program's and
are reported with each answer so that the caller can tell them apart:

- The body is a parameter source only when the Content-Type is a form (RFC 5849 §3.4.1.3.1):
  the caller says so (`bodyIsForm`), because oauthlib's endpoints test it with a substring
  ('application/x-www-form-urlencoded' in the header, case-sensitive) and `collect_parameters`
  not at all; either would make a referee of a bug.
- oauthlib's `urldecode` refuses a query or form body holding a character outside its own set
  (A-Z a-z 0-9 _ . - = & ; : % + ~ , * @ ! ( ) / ? ' $): browsers send `[ ] { } | \\ ^` and
  a backtick raw in a query, and a form body holds raw UTF-8. Such a character is replaced by
  its UTF-8 %XX escapes before oauthlib reads the string ("escaped" names where), which does
  not change what a form decoder reads (only '%', '+', '&' and '=' have a meaning there, and
  they are all in the set).

Run with /usr/bin/python3 (Debian's python3-oauthlib). Used by tests/oauthlib/oracle.mjs.
"""

import base64
import hashlib
import json
import os
import sys
import types
import urllib.parse

import oauthlib
from oauthlib.common import CaseInsensitiveDict, extract_params, urldecode, urlencoded
from oauthlib.oauth1.rfc5849 import signature, utils

VERIFY = {
    'HMAC-SHA1': signature.verify_hmac_sha1,
    'HMAC-SHA256': signature.verify_hmac_sha256,
    'HMAC-SHA512': signature.verify_hmac_sha512,
    'PLAINTEXT': signature.verify_plaintext,
}
SIGN = {
    'HMAC-SHA1': signature.sign_hmac_sha1_with_client,
    'HMAC-SHA256': signature.sign_hmac_sha256_with_client,
    'HMAC-SHA512': signature.sign_hmac_sha512_with_client,
    'PLAINTEXT': signature.sign_plaintext_with_client,
}


class Client:
    """What the sign_*_with_client functions read."""

    def __init__(self, client_secret, resource_owner_secret):
        self.client_secret = client_secret
        self.resource_owner_secret = resource_owner_secret


def escape_outside_set(s):
    """`s` with every character outside oauthlib's urldecode set %-escaped as UTF-8."""
    return ''.join(c if c in urlencoded else urllib.parse.quote(c, safe='') for c in s)


def answer(q):
    notes = []
    quirks = []
    escaped = []
    split = urllib.parse.urlsplit(q['url'])
    if split.port == 0:
        return {'ok': False, 'error': 'base_string_uri: port out of range', 'quirks': ['oauthlib refuses port 0']}
    query = split.query
    if query and not set(query) <= urlencoded:
        query = escape_outside_set(query)
        escaped.append('query')
    uri = urllib.parse.urlunsplit((split.scheme, split.netloc, split.path, query, ''))

    body_bytes = base64.b64decode(q['body']) if q.get('body') is not None else None
    form_body = ''
    if body_bytes is not None and q.get('bodyIsForm'):
        # A form body is ASCII by its definition; a raw non-ASCII byte is read as UTF-8 (the
        # caller only sends valid UTF-8 here).
        form_body = body_bytes.decode('utf-8')
        if not set(form_body) <= urlencoded:
            form_body = escape_outside_set(form_body)
            escaped.append('body')

    headers = {}
    if q.get('authorization') is not None:
        headers['Authorization'] = q['authorization']
    if q.get('contentType') is not None:
        headers['Content-Type'] = q['contentType']

    # As endpoints/base.py `_create_request` does it, on what its verify_* functions read of an
    # oauthlib.common.Request (uri, http_method, headers, body, uri_query, params, signature);
    # the Request class itself only adds a second urldecode of the query and the body.
    request = types.SimpleNamespace(uri=uri, http_method=q['method'], headers=CaseInsensitiveDict(headers), body=form_body, uri_query=query)
    header_params = signature.collect_parameters(headers=request.headers, exclude_oauth_signature=False, with_realm=True)
    body_params = signature.collect_parameters(body=request.body, exclude_oauth_signature=False)
    query_params = signature.collect_parameters(uri_query=request.uri_query, exclude_oauth_signature=False)
    if form_body and extract_params(form_body) is None:
        # extract_params gives None (no parameters at all) for a body it cannot decode, and
        # collect_parameters reads that as no parameters: the request would be misread.
        return {'ok': False, 'error': 'oauthlib could not decode the form body'}
    sources = [name for name, ps in (('header', header_params), ('body', body_params), ('query', query_params)) if utils.filter_oauth_params(ps)]
    params = header_params + body_params + query_params
    oauth = utils.filter_oauth_params(params)
    sigs = [v for k, v in oauth if k == 'oauth_signature']
    if len(sigs) != 1:
        return {'ok': False, 'error': f'{len(sigs)} oauth_signature parameters'}
    methods = [v for k, v in oauth if k == 'oauth_signature_method']
    method = methods[0] if len(methods) == 1 else None
    request.signature = sigs[0]
    request.params = [(k, v) for k, v in params if k != 'oauth_signature']
    if 'realm' in request.headers.get('Authorization', ''):
        request.params = [(k, v) for k, v in request.params if k != 'realm']
        if any(k == 'realm' for k, _ in body_params + query_params):
            quirks.append('oauthlib dropped a query or body parameter named realm')
    if len(sources) > 1:
        # oauthlib's endpoints refuse this ("oauth_ params must come from only 1 signature type").
        notes.append(f'oauth_ parameters in more than one place: {", ".join(sources)}')
    # collect_parameters %-decodes an oauth_ value from the query or the body a second time
    # (after the form decoding): a value that holds '%' is then not the value sent.
    for where, ps, raw in (('query', query_params, query), ('body', body_params, form_body)):
        # (A '%' in a decoded value comes from a '%25' in the string.)
        if '%25' in raw and ps != urldecode(raw):
            quirks.append(f'oauthlib decoded an oauth_ value in the {where} twice')
    if len(dict(oauth)) != len(oauth):
        notes.append('duplicate oauth_ parameters')

    base_uri = signature.base_string_uri(request.uri)
    if urllib.parse.urlsplit(base_uri).path != (split.path or '/').replace(' ', '%20'):
        quirks.append("oauthlib's base string URI lost part of the path (urlparse's ;params)")
    consumer_secret = q['consumerSecret']
    token_secret = q['tokenSecret']
    out = {
        'ok': True,
        'params': [list(p) for p in request.params],
        'baseUri': base_uri,
        'signatureMethod': method,
        'sentSignature': request.signature,
        'oauthSources': sources,
        'escaped': escaped,
        'notes': notes,
        'quirks': quirks,
    }
    if any(k == 'oauth_body_hash' for k, _ in oauth):
        # The body hash (draft-eaton-oauth-bodyhash §3.1): the hash of the body's bytes as
        # sent, the empty string when there is none.
        out['bodyHash'] = {
            name: base64.b64encode(h(body_bytes or b'').digest()).decode('ascii')
            for name, h in (('SHA-1', hashlib.sha1), ('SHA-256', hashlib.sha256), ('SHA-512', hashlib.sha512))
        }
    if method not in VERIFY:
        out.update(signature=None, verified=False)
        notes.append(f'signature method {method!r} is not one oauthlib verifies here')
        return out
    # oauthlib's own verify function: for an HMAC it computes the normalized parameters, the
    # base string and the signature itself (signature.py `_verify_hmac`) and compares.
    out['verified'] = bool(VERIFY[method](request, consumer_secret, token_secret))
    if out['verified'] and method != 'PLAINTEXT':
        # Accepted: oauthlib's HMAC over its base string is the signature sent, so its base
        # string is the signer's (computing it again here would double the time per request).
        out.update(signature=request.signature, impliedByVerify=True)
        return out
    normalized = signature.normalize_parameters(request.params)
    base_string = signature.signature_base_string(request.http_method, base_uri, normalized)
    out.update(
        normalizedParameters=normalized,
        baseString=base_string,
        signature=SIGN[method](base_string, Client(consumer_secret, token_secret)),
    )
    return out


def main():
    # Lines are read as they come and the answers to all the complete lines read are written
    # at once: one write per batch, not one per request (the caller keeps many in flight).
    os.write(1, (json.dumps({'ready': True, 'oauthlib': oauthlib.__version__}) + '\n').encode())
    pending = b''
    while True:
        chunk = os.read(0, 1 << 20)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b'\n')
        out = []
        for line in lines:
            if not line.strip():
                continue
            q = json.loads(line)
            try:
                a = answer(q)
            except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
                a = {'ok': False, 'error': f'{type(e).__name__}: {e}'}
            a['id'] = q.get('id')
            out.append(json.dumps(a, ensure_ascii=True))
        if out:
            data = ('\n'.join(out) + '\n').encode()
            while data:
                data = data[os.write(1, data):]


if __name__ == '__main__':
    main()
