"""The ACS quickstart through the official Python SDK (azure-communication-identity), against
the acs-token emulator. Reads ACS_CONNECTION_STRING and EMULATOR_PEM; prints one JSON object with
what it saw (identity ids, expiry times, error answers; never a token or a key)."""
import asyncio
import json
import os
import sys
from datetime import timedelta

from azure.communication.identity import CommunicationIdentityClient, CommunicationTokenScope
from azure.core.exceptions import HttpResponseError

CONNECTION_STRING = os.environ["ACS_CONNECTION_STRING"]
PEM = os.environ["EMULATOR_PEM"]


def iso(expires_on):
    """expires_on as ISO-8601: 1.3.2 gives the service's string, other versions a datetime."""
    if hasattr(expires_on, "isoformat"):
        return expires_on.isoformat()
    if isinstance(expires_on, (int, float)):
        from datetime import datetime, timezone
        return datetime.fromtimestamp(expires_on, timezone.utc).isoformat()
    return str(expires_on)


def error_of(call):
    try:
        call()
    except HttpResponseError as e:
        body = json.loads(e.response.text())
        return {"status": e.status_code, **body["error"]}
    return {"status": 200}


def sync_flow(out):
    client = CommunicationIdentityClient.from_connection_string(
        CONNECTION_STRING, connection_verify=PEM, retry_total=0)
    user = client.create_user()
    out["user"] = user.properties["id"]
    token = client.get_token(user, [CommunicationTokenScope.VOIP])
    out["voipExpiresOn"] = iso(token.expires_on)
    short = client.get_token(user, [CommunicationTokenScope.CHAT],
                             token_expires_in=timedelta(hours=1))
    out["shortExpiresOn"] = iso(short.expires_on)
    pair_user, pair_token = client.create_user_and_token([CommunicationTokenScope.CHAT])
    out["pairUser"] = pair_user.properties["id"]
    out["pairHasToken"] = bool(pair_token.token)
    again = client.get_token(user, [CommunicationTokenScope.VOIP])
    out["sameSecondTokensDiffer"] = again.token != token.token
    client.revoke_tokens(user)
    client.delete_user(user)
    out["afterDelete"] = error_of(lambda: client.get_token(user, [CommunicationTokenScope.VOIP]))
    out["emptyScopes"] = error_of(lambda: client.get_token(pair_user, []))
    out["teamsEmptyToken"] = error_of(lambda: client.get_token_for_teams_user(
        "", "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002"))
    out["outOfRangeLifetime"] = error_of(lambda: client.get_token(
        pair_user, [CommunicationTokenScope.CHAT], token_expires_in=timedelta(minutes=59)))


async def aio_flow(out):
    try:
        import aiohttp  # noqa: F401  the aio client's transport
    except ImportError:
        out["aioUser"] = None
        return
    from azure.communication.identity.aio import CommunicationIdentityClient as AioClient
    async with AioClient.from_connection_string(
            CONNECTION_STRING, connection_verify=PEM, retry_total=0) as client:
        user, token = await client.create_user_and_token([CommunicationTokenScope.VOIP])
        out["aioUser"] = user.properties["id"]
        out["aioHasToken"] = bool(token.token)


def main():
    out = {}
    sync_flow(out)
    asyncio.run(aio_flow(out))
    print(json.dumps(out))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
