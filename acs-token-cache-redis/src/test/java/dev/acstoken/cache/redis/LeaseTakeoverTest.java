package dev.acstoken.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
class LeaseTakeoverTest {

  final MutableClock clock = Fleet.clock();
  final GatedAcs acs = new GatedAcs(clock);
  final TokenRequest request = TokenRequest.of(GatedAcs.identity(1), Scope.VOIP);

  @AfterEach
  void stop() {
    acs.close();
  }

  @Test
  void getToken_leaseHolderDiesMidRefresh_anotherInstanceTakesOverAfterLease(RedisServer redis)
      throws Exception {
    try (Fleet fleet =
        new Fleet(
            2,
            redis.uri(),
            acs,
            clock,
            b -> b.leaseTime(Duration.ofMillis(500)).waitTimeout(Duration.ofSeconds(20)))) {
      fleet.awaitConnected();
      // instance 0 takes the lease and hangs in the backend: from Redis's view it died
      acs.closeGate();
      CompletableFuture<AccessToken> hung = fleet.get(0).getTokenAsync(request);
      await().until(() -> acs.calls() == 1);
      acs.holdWaitingCallsOnly(); // later calls answer; the hung one stays held
      fleet.get(0).close(); // and its instance is gone, lease and all

      AccessToken token = fleet.get(1).getTokenAsync(request).get(30, TimeUnit.SECONDS);

      assertThat(fleet.get(1).stats().leaseWaits()).isEqualTo(1);
      assertThat(fleet.listeners.get(1).served(TokenSource.DELEGATE_SHARED)).isEqualTo(1);
      assertThat(acs.calls()).isEqualTo(2);
      assertThat(token.isExpiredAt(clock.instant())).isFalse();
      hung.cancel(true);
    }
  }

  @Test
  void getToken_holderHangsLongerThanLease_waiterTakesOverAndLateWriteDoesNotOverwrite(
      RedisServer redis) throws Exception {
    try (Fleet fleet =
        new Fleet(
            3,
            redis.uri(),
            acs,
            clock,
            b -> b.leaseTime(Duration.ofMillis(300)).waitTimeout(Duration.ofSeconds(20)))) {
      fleet.awaitConnected();
      acs.closeGate();
      CompletableFuture<AccessToken> slow = fleet.get(0).getTokenAsync(request);
      await().until(() -> acs.calls() == 1);
      CompletableFuture<AccessToken> waiter = fleet.get(1).getTokenAsync(request);
      // the waiter takes over once the lease expires, and its own backend call is held too
      await().atMost(Duration.ofSeconds(20)).until(() -> acs.calls() == 2);
      acs.openGate();

      AccessToken late = slow.get(30, TimeUnit.SECONDS);
      AccessToken fresh = waiter.get(30, TimeUnit.SECONDS);
      AccessToken third = fleet.get(2).getToken(request);

      assertThat(late).isNotEqualTo(fresh);
      assertThat(acs.calls()).isEqualTo(2);
      assertThat(third).isIn(late, fresh);
    }
  }

  @Test
  void getToken_delegateFails_errorReachesCallerAndLeaseIsReleased(RedisServer redis) {
    try (Fleet fleet =
        new Fleet(2, redis.uri(), acs, clock, b -> b.leaseTime(Duration.ofMinutes(1)))) {
      fleet.awaitConnected();
      acs.deleteIdentity(request.identity());

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> fleet.get(0).getToken(request))
          .isInstanceOf(NotFoundException.class);
      // released at once: the next instance does not wait a minute for the lease
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> fleet.get(1).getToken(request))
          .isInstanceOf(NotFoundException.class);
      assertThat(fleet.get(1).stats().leaseWaits()).isZero();
      org.assertj.core.api.Assertions.assertThat(fleet.get(1).getTokenAsync(request))
          .failsWithin(Duration.ofSeconds(30))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(NotFoundException.class);
    }
  }
}
