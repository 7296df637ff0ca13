package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.error.RequestTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AfterRevocationTest {

  static final IdentityId ID =
      IdentityId.of(
          "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081");

  /** Revoke and delete answer with {@code next}; records the order of events. */
  static final class StubOperations implements IdentityOperations {
    final List<String> events;
    CompletableFuture<Void> next = CompletableFuture.completedFuture(null);

    StubOperations(List<String> events) {
      this.events = events;
    }

    @Override
    public IdentityId createIdentity() {
      return ID;
    }

    @Override
    public CompletableFuture<IdentityId> createIdentityAsync() {
      return CompletableFuture.completedFuture(ID);
    }

    @Override
    public IdentityWithToken createIdentityWithToken(Set<Scope> s, @Nullable TokenLifetime l) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<IdentityWithToken> createIdentityWithTokenAsync(
        Set<Scope> s, @Nullable TokenLifetime l) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void revokeTokens(IdentityId identity) {
      events.add("revoke");
      next.join();
    }

    @Override
    public CompletableFuture<Void> revokeTokensAsync(IdentityId identity) {
      events.add("revoke");
      return next;
    }

    @Override
    public void deleteIdentity(IdentityId identity) {
      events.add("delete");
      next.join();
    }

    @Override
    public CompletableFuture<Void> deleteIdentityAsync(IdentityId identity) {
      events.add("delete");
      return next;
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

  final List<String> events = new ArrayList<>();
  final StubOperations stub = new StubOperations(events);

  @Test
  void revokeAndDelete_invalidateAfterTheCall_andOtherOperationsPassThrough() {
    IdentityOperations ops =
        IdentityOperations.afterRevocation(stub, id -> events.add("invalidate " + id));
    ops.revokeTokens(ID);
    ops.deleteIdentity(ID);
    assertThat(ops.createIdentity()).isEqualTo(ID);
    assertThat(events).containsExactly("revoke", "invalidate " + ID, "delete", "invalidate " + ID);
  }

  @Test
  void failedRevoke_stillInvalidates_andTheCallersErrorIsTheCallsError() {
    RequestTimeoutException timeout = new RequestTimeoutException("timed out", 0, null, null);
    stub.next = CompletableFuture.failedFuture(timeout);
    IdentityOperations ops =
        IdentityOperations.afterRevocation(stub, id -> events.add("invalidate"));
    assertThatThrownBy(() -> ops.revokeTokens(ID)).hasCause(timeout);
    assertThat(ops.revokeTokensAsync(ID))
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCause(timeout);
    assertThat(events).containsExactly("revoke", "invalidate", "revoke", "invalidate");
  }

  @Test
  void asyncRevoke_completesOnlyAfterTheAsyncInvalidation() {
    CompletableFuture<Void> invalidated = new CompletableFuture<>();
    IdentityOperations ops =
        IdentityOperations.afterRevocation(
            stub,
            new IdentityOperations.Invalidation() {
              @Override
              public void invalidate(IdentityId identity) {
                throw new AssertionError("the async path must use invalidateAsync");
              }

              @Override
              public CompletableFuture<Void> invalidateAsync(IdentityId identity) {
                return invalidated;
              }
            });
    CompletableFuture<Void> revoked = ops.revokeTokensAsync(ID);
    assertThat(revoked).isNotDone();
    invalidated.complete(null);
    assertThat(revoked).isCompleted();
  }

  @Test
  void nullArguments_areRefused() {
    assertThatThrownBy(() -> IdentityOperations.afterRevocation(null, id -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IdentityOperations.afterRevocation(stub, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
