package dev.acstoken.testkit.contract;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenClaims;
import dev.acstoken.core.TokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;

/**
 * What every contract class needs from its subclass, the implementation under test, and the helpers
 * they share. Subclasses supply {@link #tokenProvider()} and {@link #identityOperations()} (usually
 * the same object) and, for an implementation on a simulated clock, {@link #clock()}.
 *
 * <p>Identities a test creates are deleted after it, so that a run against a real resource leaves
 * nothing behind.
 */
public abstract class ContractSupport {

  private final List<IdentityId> created = new CopyOnWriteArrayList<>();

  /** Creates the support; for subclasses. */
  protected ContractSupport() {}

  /** {@return the token provider under test} */
  protected abstract TokenProvider tokenProvider();

  /** {@return the identity operations under test, of the same resource as the provider} */
  protected abstract IdentityOperations identityOperations();

  /** {@return the clock the implementation issues tokens by; the system clock by default} */
  protected Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Returns how far an expiry may be from the expected one: clock skew between this machine and the
   * service plus the call's duration. 5 minutes by default.
   *
   * @return the tolerance
   */
  protected Duration clockTolerance() {
    return Duration.ofMinutes(5);
  }

  /** {@return a new identity that is deleted after the test} */
  protected final IdentityId newIdentity() {
    IdentityId id = identityOperations().createIdentity();
    created.add(id);
    return id;
  }

  /**
   * Remembers an identity to delete after the test.
   *
   * @param id the identity
   * @return the same identity
   */
  protected final IdentityId track(IdentityId id) {
    created.add(id);
    return id;
  }

  /** {@return an ACS user id of a resource that is not the one under test} */
  protected static IdentityId foreignIdentity() {
    return IdentityId.of("8:acs:" + UUID.randomUUID() + "_" + UUID.randomUUID());
  }

  /**
   * Asserts that a token expires {@code lifetime} from now, within the tolerance.
   *
   * @param token the token
   * @param lifetime the lifetime it was asked for
   */
  protected final void assertExpiresIn(AccessToken token, Duration lifetime) {
    Instant expected = clock().instant().plus(lifetime);
    Assertions.assertThat(token.expiresAt())
        .as("token expiry")
        .isBetween(expected.minus(clockTolerance()), expected.plus(clockTolerance()));
    TokenClaims claims = token.claims();
    Assertions.assertThat(Duration.between(claims.expiresAt(), token.expiresAt()).abs())
        .as("expiresOn against the token's exp claim")
        .isLessThan(Duration.ofSeconds(2));
  }

  /** Deletes the identities the test created; failures are ignored (they may be gone). */
  @AfterEach
  void deleteCreatedIdentities() {
    for (IdentityId id : created) {
      try {
        identityOperations().deleteIdentity(id);
      } catch (RuntimeException ignored) {
        // deleted by the test itself, or the implementation is failing on purpose
      }
    }
    created.clear();
  }
}
