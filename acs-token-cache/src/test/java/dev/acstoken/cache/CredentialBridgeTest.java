package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.communication.common.CommunicationTokenCredential;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bridge with the real {@link CommunicationTokenCredential} of azure-communication-common, on
 * the cache's real scheduler thread and the system clock (the credential reads the system clock).
 */
class CredentialBridgeTest {

  static Set<String> timerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("Timer-"))
        .collect(Collectors.toSet());
  }

  @Test
  void credential_servesTheCachedTokenWithoutATimerThread() throws Exception {
    FakeBackend backend = new FakeBackend(TimeSource.system());
    Set<String> timersBefore = timerThreads();
    try (CachingTokenProvider cache = CachingTokenProvider.builder(backend).build()) {
      AccessToken cached = cache.getToken(request(1));
      try (CommunicationTokenCredential a = cache.credential(request(1));
          CommunicationTokenCredential b = cache.credential(request(1))) {
        assertThat(a.getToken().block().getToken()).isEqualTo(cached.value());
        assertThat(b.getToken().block().getToken()).isEqualTo(cached.value());
        assertThat(a.getToken().block().getExpiresAt().toInstant()).isEqualTo(cached.expiresAt());
      }
      assertThat(backend.calls()).isEqualTo(1);
      assertThat(timerThreads()).isEqualTo(timersBefore);
    }
  }

  @Test
  void credential_concurrentColdCallers_makeOneBackendCall() throws InterruptedException {
    FakeBackend backend = new FakeBackend(TimeSource.system()).hold();
    RecordingListener listener = new RecordingListener();
    try (CachingTokenProvider cache =
            CachingTokenProvider.builder(backend).listener(listener).build();
        CommunicationTokenCredential credential = cache.credential(request(1))) {
      int n = 16;
      CountDownLatch done = new CountDownLatch(n);
      List<String> got = new CopyOnWriteArrayList<>();
      for (int i = 0; i < n; i++) {
        ThreadMode.PLATFORM.start(
            () -> {
              got.add(credential.getToken().block().getToken());
              done.countDown();
            });
      }
      // the credential itself does not coalesce: each caller asks the cache, which does
      assertThat(listener.misses.tryAcquire(n, 30, TimeUnit.SECONDS)).isTrue();
      await().until(() -> backend.pendingCalls() == 1);
      AccessToken token = backend.completeNext();
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(got).hasSize(n).containsOnly(token.value());
      assertThat(backend.calls()).isEqualTo(1);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void credential_whenTheFirstRefreshFails_retriesOnItsOwnBackoff_andTheSdkGetsAToken()
      throws Exception {
    FakeBackend backend = new FakeBackend(TimeSource.system());
    backend.failNext(FailureTest.outage());
    try (CachingTokenProvider cache =
            CachingTokenProvider.builder(backend).backoffInitial(Duration.ofMillis(1)).build();
        CommunicationTokenCredential credential = cache.credential(request(1))) {
      // the pinned key is fetched at once, fails, and is retried on the cache's backoff (not
      // dropped for good, as the SDK's proactive refresh would): the SDK's ask gets a token
      await().untilAsserted(() -> assertThat(backend.calls()).isEqualTo(2));
      assertThat(credential.getToken().block()).isNotNull();
      assertThat(backend.calls()).isEqualTo(2);
    }
  }

  @Test
  void credential_afterItsTokenExpires_getsTheCachesNextToken() throws Exception {
    FakeBackend backend = new FakeBackend(TimeSource.system()).lifetime(r -> Duration.ofSeconds(2));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    try (CachingTokenProvider cache =
            CachingTokenProvider.builder(backend)
                .safetyMargin(Duration.ZERO)
                .minRefreshLead(Duration.ofMillis(1))
                .build();
        CommunicationTokenCredential credential = cache.credential(request(1))) {
      TokenRequest key = request(1);
      assertThat(key).isNotNull();
      // the credential keeps its token until it expires (one-second exp resolution), then asks
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                seen.add(credential.getToken().block().getToken());
                return seen.size() >= 2;
              });
    }
  }
}
