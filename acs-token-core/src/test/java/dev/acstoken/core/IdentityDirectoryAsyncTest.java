package dev.acstoken.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The async twins that IdentityDirectory gives every implementation. */
class IdentityDirectoryAsyncTest {

  private static final IdentityId ALICE =
      IdentityId.of(
          "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000000-0000-0000-0000-000000000001");

  /** A directory of the blocking methods only, on a map; its async executor is the test's. */
  static final class MapDirectory implements IdentityDirectory {
    final Map<String, IdentityId> users = new HashMap<>();
    final Executor executor;

    MapDirectory(Executor executor) {
      this.executor = executor;
    }

    @Override
    public IdentityId identityFor(String appUserId) {
      return users.computeIfAbsent(appUserId, k -> ALICE);
    }

    @Override
    public Optional<IdentityId> find(String appUserId) {
      return Optional.ofNullable(users.get(appUserId));
    }

    @Override
    public void forget(String appUserId) {
      users.remove(appUserId);
    }

    @Override
    public Executor asyncExecutor() {
      return executor;
    }
  }

  private final Queue<Runnable> queued = new ArrayDeque<>();
  private final MapDirectory directory = new MapDirectory(queued::add);

  @Test
  void asyncTwins_runTheBlockingMethodsOnTheAsyncExecutor() {
    CompletableFuture<IdentityId> created = directory.identityForAsync("alice");
    assertThat(created).isNotDone();
    queued.remove().run();
    assertThat(created).isCompletedWithValue(ALICE);

    CompletableFuture<Optional<IdentityId>> found = directory.findAsync("alice");
    queued.remove().run();
    assertThat(found).isCompletedWithValue(Optional.of(ALICE));

    CompletableFuture<Void> forgotten = directory.forgetAsync("alice");
    assertThat(directory.users).containsKey("alice");
    queued.remove().run();
    assertThat(forgotten).isCompleted();
    assertThat(directory.users).isEmpty();
    assertThat(queued).isEmpty();
  }

  @Test
  void asyncTwins_withAnInvalidAppUserId_throwBeforeQueueingWork() {
    assertThatThrownBy(() -> directory.identityForAsync("two words"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> directory.findAsync("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> directory.forgetAsync("tab\t"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(queued).isEmpty();
  }

  @Test
  void asyncTwins_whenTheExecutorRefuses_failTheFuture() {
    MapDirectory refusing =
        new MapDirectory(
            work -> {
              throw new RejectedExecutionException("shut down");
            });

    assertThat(refusing.identityForAsync("alice"))
        .isCompletedExceptionally()
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(RejectedExecutionException.class);
    assertThat(refusing.users).isEmpty();
  }

  @Test
  void asyncExecutor_byDefault_isTheCallingThread() {
    IdentityDirectory plain =
        new IdentityDirectory() {
          @Override
          public IdentityId identityFor(String appUserId) {
            return ALICE;
          }

          @Override
          public Optional<IdentityId> find(String appUserId) {
            return Optional.empty();
          }

          @Override
          public void forget(String appUserId) {}
        };

    assertThat(plain.identityForAsync("alice")).isCompletedWithValue(ALICE);
    assertThat(plain.findAsync("alice")).isCompletedWithValue(Optional.empty());
    assertThat(plain.forgetAsync("alice")).isCompleted();
  }
}
