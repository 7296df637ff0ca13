package dev.acstoken.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

/**
 * Heap bytes per cached key (issue 5 asks for it): the heap in use after a full GC, before and
 * after filling 10,000 keys, divided by the keys; for acs-token and, as a yardstick, a Caffeine
 * {@code LoadingCache} holding the same tokens. The keys and the token values themselves are
 * created before the first measurement, so the figure is the cache's own overhead per entry.
 * Measured through {@link MemoryMXBean}: approximate (a few percent), not an object-graph walk.
 */
public final class EntrySizeHarness {

  static final int KEYS = 10_000;

  private EntrySizeHarness() {}

  public static void main(String[] args) throws Exception {
    Options.parse(args);
    Options.machine();
    Table table =
        new Table(
            "Heap per cached key: " + KEYS + " keys, keys and token values allocated beforehand",
            "cache",
            "bytes per key",
            "keys held");
    TokenRequest[] keys = new TokenRequest[KEYS];
    Backend.Token[] tokens = new Backend.Token[KEYS];
    // the tokens as the backend hands them to acs-token, also made beforehand: an AccessToken the
    // backend returns is the token value, as Backend.Token is Caffeine's, not the cache's overhead
    dev.acstoken.core.AccessToken[] accessTokens = new dev.acstoken.core.AccessToken[KEYS];
    Backend backend = new Backend();
    for (int i = 0; i < KEYS; i++) {
      keys[i] =
          TokenRequest.of(
              IdentityId.of(
                  String.format(
                      "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000000-0000-0000-0000-%012d",
                      i)),
              Scope.VOIP);
      tokens[i] = backend.mint(java.time.Instant.now().plus(Duration.ofHours(24)));
      accessTokens[i] = dev.acstoken.core.AccessToken.of(tokens[i].value(), tokens[i].expiresAt());
    }
    int[] next = new int[1];
    dev.acstoken.core.TokenProvider fixed =
        new dev.acstoken.core.TokenProvider() {
          @Override
          public dev.acstoken.core.AccessToken getToken(TokenRequest request) {
            return accessTokens[next[0]++ % KEYS];
          }

          @Override
          public java.util.concurrent.CompletableFuture<dev.acstoken.core.AccessToken>
              getTokenAsync(TokenRequest request) {
            return java.util.concurrent.CompletableFuture.completedFuture(getToken(request));
          }
        };
    for (int round = 0; round < 2; round++) { // the first round warms class loading up
      long before = used();
      CachingTokenProvider cache =
          CachingTokenProvider.builder(fixed)
              .refreshRateLimit(2 * KEYS, Duration.ofSeconds(1))
              .build();
      for (TokenRequest k : keys) {
        cache.getToken(k);
      }
      long after = used();
      if (round == 1) {
        table.row(
            "acs-token CachingTokenProvider (defaults; no rate limit for the fill)",
            (after - before) / KEYS,
            cache.estimatedSize());
      }
      cache.close();
      next[0] = 0;
      before = used();
      LoadingCache<TokenRequest, Backend.Token> caffeine =
          Caffeine.newBuilder()
              .refreshAfterWrite(Duration.ofHours(12))
              .expireAfterWrite(Duration.ofHours(23))
              .maximumSize(KEYS)
              .build(k -> tokens[next[0]++ % KEYS]);
      for (TokenRequest k : keys) {
        caffeine.get(k);
      }
      after = used();
      if (round == 1) {
        table.row(
            "Caffeine LoadingCache (refreshAfterWrite, expireAfterWrite, maximumSize)",
            (after - before) / KEYS,
            caffeine.estimatedSize());
      }
      caffeine.invalidateAll();
    }
    table.print();
    System.exit(0);
  }

  private static long used() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
