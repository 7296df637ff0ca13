package dev.acstoken.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.ManualScheduler;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cache over the testkit's in-memory ACS fake, both on one {@link MutableClock}: tokens the
 * fake issues, revokes and forgets, as the service does.
 */
class FakeAcsIntegrationTest {

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-11-24T08:00:00Z"));
  private final TimeSource time = clock;
  private final ManualScheduler scheduler = ManualScheduler.on(clock);
  private final FakeAcs acs = FakeAcs.builder().clock(clock).build();
  private final CachingTokenProvider cache =
      CachingTokenProvider.builder(acs)
          .timeSource(time)
          .scheduler(scheduler)
          .refreshJitter(Duration.ZERO)
          .backoffJitter(0)
          .build();
  private final IdentityOperations ops = cache.invalidatingOperations(acs);

  @AfterEach
  void close() {
    cache.close();
  }

  private AccessToken get(TokenRequest key) {
    CompletableFuture<AccessToken> f = cache.getTokenAsync(key);
    scheduler.runDue();
    return f.join();
  }

  @Test
  void getToken_overFakeAcs_issuesOnceAndServesAValidToken() {
    IdentityId user = ops.createIdentity();
    TokenRequest key = TokenRequest.of(user, Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(60));
    AccessToken token = get(key);
    for (int i = 0; i < 100; i++) {
      assertThat(cache.getToken(key)).isSameAs(token);
    }
    assertThat(acs.issuedTokenCount(user)).isEqualTo(1);
    assertThat(acs.isValid(token)).isTrue();
  }

  @Test
  void getToken_atHalfLife_refreshesOnceInTheBackground() {
    IdentityId user = ops.createIdentity();
    TokenRequest key = TokenRequest.of(user, Scope.CHAT).withLifetime(TokenLifetime.ofMinutes(60));
    AccessToken first = get(key);
    scheduler.advance(Duration.ofMinutes(30));
    assertThat(cache.getToken(key)).isSameAs(first);
    scheduler.runDue();
    AccessToken second = cache.getToken(key);
    assertThat(second).isNotEqualTo(first);
    assertThat(acs.issuedTokenCount(user)).isEqualTo(2);
    assertThat(acs.isValid(second)).isTrue();
  }

  @Test
  void revokeThroughTheCache_nextTokenIsValidAgain() {
    IdentityId user = ops.createIdentity();
    TokenRequest key = TokenRequest.of(user, Scope.VOIP);
    AccessToken before = get(key);
    ops.revokeTokens(user);
    assertThat(acs.isValid(before)).isFalse();
    scheduler.advance(
        Duration.ofSeconds(1)); // a token of a later second: the fake is deterministic
    AccessToken after = get(key);
    assertThat(after).isNotEqualTo(before);
    assertThat(acs.isValid(after)).isTrue();
  }

  @Test
  void deleteThroughTheCache_nextRequestFailsNotFoundAndNothingIsCached() {
    IdentityId user = ops.createIdentity();
    TokenRequest key = TokenRequest.of(user, Scope.VOIP);
    get(key);
    ops.deleteIdentity(user);
    CompletableFuture<AccessToken> f = cache.getTokenAsync(key);
    scheduler.runDue();
    assertThatThrownBy(f::join).cause().isInstanceOf(NotFoundException.class);
    assertThat(cache.getTokenAsync(key))
        .as("the terminal error is remembered; no token of the deleted identity is served")
        .isCompletedExceptionally();
  }

  @Test
  void refreshFailingAtFakeAcs_keepsServingTheValidToken() {
    IdentityId user = ops.createIdentity();
    TokenRequest key = TokenRequest.of(user, Scope.VOIP).withLifetime(TokenLifetime.ofMinutes(60));
    AccessToken token = get(key);
    acs.failNext(
        Operation.ISSUE_TOKEN,
        3,
        new ServiceUnavailableException("Service Unavailable", 503, null, null, null));
    scheduler.advance(Duration.ofMinutes(31));
    // attempts at 0, 1 and 3 s fail (backoff 1 s, 2 s), the one at 7 s succeeds
    for (int s = 0; s < 7; s++) {
      assertThat(cache.getToken(key)).isSameAs(token);
      scheduler.runDue();
      scheduler.advance(Duration.ofSeconds(1));
    }
    cache.getToken(key);
    scheduler.runDue();
    assertThat(cache.getToken(key)).isNotEqualTo(token);
    assertThat(acs.issuedTokenCount(user)).isEqualTo(2);
  }
}
