package dev.acstoken.testkit;

/**
 * An operation of the ACS Identity service, as the fake and the emulator count, journal and fault
 * them.
 */
public enum Operation {
  /** {@code POST /identities}, with or without a token. */
  CREATE_IDENTITY,
  /** {@code POST /identities/{id}/:issueAccessToken}. */
  ISSUE_TOKEN,
  /** {@code POST /identities/{id}/:revokeAccessTokens}. */
  REVOKE_TOKENS,
  /** {@code DELETE /identities/{id}}. */
  DELETE_IDENTITY,
  /** {@code POST /teamsUser/:exchangeAccessToken}. */
  EXCHANGE_TEAMS_TOKEN
}
