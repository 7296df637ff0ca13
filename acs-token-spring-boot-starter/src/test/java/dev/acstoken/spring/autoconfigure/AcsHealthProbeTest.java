package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.IdentityWithToken;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TeamsTokenRequest;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.core.error.UnauthorizedException;
import dev.acstoken.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AcsHealthProbeTest {

  private final MutableClock time = MutableClock.at(Instant.parse("2026-12-01T10:00:00Z"));
  private final StubOperations ops = new StubOperations();

  private AcsHealthProbe probe(Duration cacheTime) {
    return new AcsHealthProbe(
        ops, "https://x.example/", null, null, cacheTime, Duration.ofSeconds(5), time);
  }

  @Test
  void check_withinTheCacheTime_reusesTheProbe_andProbesAgainAfterIt() {
    AcsHealthProbe probe = probe(Duration.ofSeconds(10));
    ops.answers.add(notOwned());
    ops.answers.add(unavailable());

    assertThat(probe.check().up()).isTrue();
    time.advance(Duration.ofSeconds(9));
    assertThat(probe.check().up()).isTrue();
    assertThat(ops.calls).isEqualTo(1);

    time.advance(Duration.ofSeconds(1));
    assertThat(probe.check().up()).isFalse();
    assertThat(ops.calls).isEqualTo(2);
  }

  @Test
  void check_probesWithARevokeOfAnIdentityOfNoResource() {
    ops.answers.add(notOwned());

    probe(Duration.ZERO).check();

    assertThat(ops.revoked).containsExactly(AcsHealthProbe.PROBE_IDENTITY);
  }

  @Test
  void check_whenTheKeyIsRefused_isDownWithTheCode() {
    ops.answers.add(
        CompletableFuture.failedFuture(
            new UnauthorizedException("refused", 401, "Denied", "r1", null)));

    AcsHealthProbe.Result result = probe(Duration.ZERO).check();

    assertThat(result.up()).isFalse();
    assertThat(result.details())
        .containsEntry("errorCode", "Denied")
        .containsEntry("cache", java.util.Map.of("enabled", false));
  }

  @Test
  void check_withNoAnswerInTime_isDown() {
    ops.answers.add(new CompletableFuture<>());
    AcsHealthProbe probe =
        new AcsHealthProbe(
            ops, "https://x.example/", null, null, Duration.ZERO, Duration.ofMillis(1), time);

    assertThat(probe.check().details()).containsEntry("probe", "no answer within PT0.001S");
  }

  @Test
  void constructor_withANegativeCacheTime_namesTheProperty() {
    assertThatThrownBy(() -> probe(Duration.ofSeconds(-1)))
        .hasMessageContaining("acs.health.cache-time")
        .hasMessageContaining("PT-1S");
  }

  private static CompletableFuture<Void> notOwned() {
    return CompletableFuture.failedFuture(
        new UnauthorizedException("not owned", 401, "IdentityNotOwned", "r0", null));
  }

  private static CompletableFuture<Void> unavailable() {
    return CompletableFuture.failedFuture(
        new ServiceUnavailableException("down", 503, null, "r2", null));
  }

  /** Identity operations whose revokes answer from a queue; the rest is unused. */
  static final class StubOperations implements IdentityOperations {
    final Deque<CompletableFuture<Void>> answers = new ArrayDeque<>();
    final java.util.List<IdentityId> revoked = new java.util.ArrayList<>();
    int calls;

    @Override
    public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
      calls++;
      revoked.add(identity);
      return answers.removeFirst();
    }

    @Override
    public IdentityId createIdentity() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<IdentityId> createIdentityAsync() {
      throw new UnsupportedOperationException();
    }

    @Override
    public IdentityWithToken createIdentityWithToken(
        Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
        Set<Scope> scopes, @Nullable TokenLifetime lifetime) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void revokeTokens(IdentityId identity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void deleteIdentity(IdentityId identity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AccessToken exchangeTeamsToken(TeamsTokenRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<AccessToken> exchangeTeamsTokenAsync(TeamsTokenRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
