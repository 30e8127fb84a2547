#!/usr/bin/python3
"""oauthlib's own client signs requests for the verifier's tier-1 test (tests/verify.rs).

Reads one JSON line per request on stdin: {"method", "url", "body" (form text or null),
"contentType" (or null), "signatureMethod", "signatureType" ("AUTH_HEADER" | "QUERY" | "BODY"),
"consumerKey", "consumerSecret", "token" (or null), "tokenSecret" (or null), "callback" (or null),
"verifier" (or null), "timestamp", "nonce"}; writes one line per request: {"url", "headers",
"body"} as oauthlib.oauth1.Client.sign returns them. Run with /usr/bin/python3 (Debian's
python3-oauthlib).
"""
import json
import sys

from oauthlib.oauth1 import Client

for line in sys.stdin:
    if not line.strip():
        continue
    q = json.loads(line)
    client = Client(
        q['consumerKey'],
        client_secret=q['consumerSecret'],
        resource_owner_key=q.get('token'),
        resource_owner_secret=q.get('tokenSecret'),
        callback_uri=q.get('callback'),
        verifier=q.get('verifier'),
        signature_method=q['signatureMethod'],
        signature_type=q['signatureType'],
        timestamp=q['timestamp'],
        nonce=q['nonce'],
    )
    headers = {'Content-Type': q['contentType']} if q.get('contentType') else {}
    url, headers, body = client.sign(q['url'], http_method=q['method'], body=q.get('body'), headers=headers)
    print(json.dumps({'url': url, 'headers': headers, 'body': body}), flush=True)
