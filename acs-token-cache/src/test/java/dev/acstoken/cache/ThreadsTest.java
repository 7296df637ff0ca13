package dev.acstoken.cache;

import static dev.acstoken.cache.Harness.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.TimeSource;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ThreadsTest {

  static List<Thread> cacheThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("acs-token-cache") && t.isAlive())
        .collect(Collectors.toList());
  }

  @Test
  void defaultScheduler_isOneDaemonThreadWhateverTheKeyCount_andCloseStopsIt()
      throws InterruptedException {
    List<Thread> before = cacheThreads();
    FakeBackend backend = new FakeBackend(TimeSource.system());
    CachingTokenProvider cache = CachingTokenProvider.builder(backend).build();
    cache.getToken(request(1));
    List<Thread> mine = cacheThreads();
    mine.removeAll(before);
    assertThat(mine).hasSize(1).allMatch(Thread::isDaemon);
    for (int i = 2; i <= 250; i++) {
      cache.getToken(request(i));
    }
    List<Thread> after = cacheThreads();
    after.removeAll(before);
    assertThat(after).isEqualTo(mine);
    cache.close();
    mine.get(0).join(30_000);
    assertThat(mine.get(0).isAlive()).isFalse();
  }
}
