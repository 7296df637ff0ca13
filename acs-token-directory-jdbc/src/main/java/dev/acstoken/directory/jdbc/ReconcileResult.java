package dev.acstoken.directory.jdbc;

/**
 * What one {@link JdbcIdentityDirectory#reconcile()} sweep did. Immutable.
 *
 * <p>An abandoned claim is the trace of a caller that stopped (a crash, a kill) after claiming a
 * user and before recording the identity ACS created for it. If it stopped before the ACS call
 * returned, nothing exists at ACS; if ACS had already created the identity, that identity's id was
 * never received by anyone, and with api-version 2022-10-01 ACS offers no way to find it again: the
 * count is the upper bound of such identities, to watch in monitoring.
 *
 * @param abandonedClaims stale claims without an identity that the sweep removed, so the user's
 *     next call creates the identity afresh
 * @param forgetsCompleted interrupted forgets whose identity the sweep deleted at ACS and whose row
 *     it removed
 * @param failures rows the sweep could not settle now (ACS or the store failed); the next sweep
 *     tries again
 */
public record ReconcileResult(int abandonedClaims, int forgetsCompleted, int failures) {}
