package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exactly one backend call per key for any number of concurrent callers, on platform and virtual
 * threads; readers of a valid token never wait. Threads are coordinated with latches and the
 * listener's miss semaphore; the bounded awaits only keep a broken build from hanging.
 */
class SingleFlightTest {

  enum State {
    COLD,
    STALE,
    EXPIRED
  }

  static Stream<Arguments> cases() {
    List<Arguments> list = new ArrayList<>();
    for (ThreadMode mode : ThreadMode.values()) {
      for (State state : State.values()) {
        for (int callers : new int[] {1, 16, 256}) {
          list.add(Arguments.of(mode, state, callers));
        }
      }
    }
    return list.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2} callers")
  @MethodSource("cases")
  void getToken_concurrentCallers_makeExactlyOneBackendCall(ThreadMode mode, State state, int n)
      throws InterruptedException {
    mode.assumeAvailable();
    try (Harness h = new Harness()) {
      TokenRequest key = request(1);
      AccessToken old = null;
      if (state != State.COLD) {
        old = CachingTokenProviderTest.fill(h, key);
        h.time.advance(Duration.ofMinutes(state == State.STALE ? 30 : 55));
      }
      int callsBefore = h.backend.calls();
      int missesBefore = h.listener.missCount.get();
      h.listener.misses.drainPermits();
      CountDownLatch go = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(n);
      List<AccessToken> got = new CopyOnWriteArrayList<>();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      for (int i = 0; i < n; i++) {
        mode.start(
            () -> {
              try {
                go.await();
                got.add(h.cache.getToken(key));
              } catch (Throwable t) {
                errors.add(t);
              } finally {
                done.countDown();
              }
            });
      }
      go.countDown();
      if (state == State.STALE) {
        // every reader returns without anyone running the refresh: nobody waited for it
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(got).hasSize(n).containsOnly(old);
        assertThat(h.backend.calls()).isEqualTo(callsBefore);
        h.scheduler.runDue();
      } else {
        // all n callers have joined the one flight before the backend answers
        assertThat(h.listener.misses.tryAcquire(n, 30, TimeUnit.SECONDS)).isTrue();
        assertThat(h.backend.calls()).isEqualTo(callsBefore);
        h.scheduler.runDue();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(got).hasSize(n);
        assertThat(Set.copyOf(got)).hasSize(1).doesNotContain(old);
        assertThat(h.listener.missCount.get() - missesBefore).isEqualTo(n);
      }
      assertThat(errors).isEmpty();
      assertThat(h.backend.calls() - callsBefore).isEqualTo(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void getToken_whileRefreshIsHeld_noReaderBlocks(ThreadMode mode) throws InterruptedException {
    mode.assumeAvailable();
    try (Harness h = new Harness()) {
      TokenRequest key = request(1);
      AccessToken old = CachingTokenProviderTest.fill(h, key);
      h.backend.hold();
      h.time.advance(Duration.ofMinutes(40));
      h.cache.getToken(key);
      h.scheduler.runDue();
      assertThat(h.backend.pendingCalls()).as("the backend call is held open").isEqualTo(1);
      int n = 64;
      CountDownLatch done = new CountDownLatch(n);
      Set<AccessToken> got = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < n; i++) {
        mode.start(
            () -> {
              for (int j = 0; j < 100; j++) {
                got.add(h.cache.getToken(key));
              }
              done.countDown();
            });
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(got).containsOnly(old);
      assertThat(h.backend.calls()).isEqualTo(2);
      AccessToken fresh = h.backend.completeNext();
      assertThat(h.cache.getToken(key)).isEqualTo(fresh);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void getToken_racingTheRefreshCompletion_alwaysGetsAValidToken(ThreadMode mode)
      throws InterruptedException {
    mode.assumeAvailable();
    try (Harness h = new Harness()) {
      TokenRequest key = request(1);
      AccessToken old = CachingTokenProviderTest.fill(h, key);
      h.backend.hold();
      h.time.advance(Duration.ofMinutes(40));
      h.cache.getToken(key);
      h.scheduler.runDue();
      int n = 8;
      CountDownLatch started = new CountDownLatch(n);
      CountDownLatch stop = new CountDownLatch(1);
      CountDownLatch done = new CountDownLatch(n);
      Set<AccessToken> got = ConcurrentHashMap.newKeySet();
      for (int i = 0; i < n; i++) {
        mode.start(
            () -> {
              started.countDown();
              while (stop.getCount() > 0) {
                got.add(h.cache.getToken(key));
                // virtual threads share few carriers: let the others (and the test) run
                Thread.yield();
              }
              got.add(h.cache.getToken(key));
              done.countDown();
            });
      }
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      AccessToken fresh = h.backend.completeNext(); // completes while the readers read
      stop.countDown();
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(got).contains(fresh).isSubsetOf(old, fresh);
      assertThat(h.backend.calls()).isEqualTo(2);
    }
  }

  static Stream<ThreadMode> modes() {
    return Stream.of(ThreadMode.values());
  }
}
