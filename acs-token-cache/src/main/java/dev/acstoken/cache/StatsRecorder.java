package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/** Counts events into {@link LongAdder}s, for {@link CachingTokenProvider#stats()}. */
final class StatsRecorder implements CacheListener {

  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder waits = new LongAdder();
  private final LongAdder refreshes = new LongAdder();
  private final LongAdder refreshSuccesses = new LongAdder();
  private final LongAdder refreshFailures = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();
  private final LongAdder evictions = new LongAdder();
  private final LongAdder invalidations = new LongAdder();
  private final LongAdder sharedTierHits = new LongAdder();
  private final LongAdder sharedTierFailures = new LongAdder();

  @Override
  public void onHit(TokenRequest request) {
    hits.increment();
  }

  @Override
  public void onMiss(TokenRequest request) {
    misses.increment();
  }

  @Override
  public void onWait(TokenRequest request, Duration waited) {
    waits.increment();
  }

  @Override
  public void onRefreshStarted(TokenRequest request) {
    refreshes.increment();
  }

  @Override
  public void onRefreshSucceeded(TokenRequest request, Duration latency) {
    refreshSuccesses.increment();
  }

  @Override
  public void onRefreshFailed(TokenRequest request, AcsException error, boolean terminal) {
    refreshFailures.increment();
  }

  @Override
  public void onRateLimited(TokenRequest request) {
    rateLimited.increment();
  }

  @Override
  public void onEviction(TokenRequest request) {
    evictions.increment();
  }

  @Override
  public void onInvalidation(TokenRequest request) {
    invalidations.increment();
  }

  @Override
  public void onSharedTierHit(TokenRequest request) {
    sharedTierHits.increment();
  }

  @Override
  public void onSharedTierFailure(@Nullable TokenRequest request, Throwable cause) {
    sharedTierFailures.increment();
  }

  CacheStats snapshot() {
    return CacheStats.of(
        hits.sum(),
        misses.sum(),
        waits.sum(),
        refreshes.sum(),
        refreshSuccesses.sum(),
        refreshFailures.sum(),
        rateLimited.sum(),
        evictions.sum(),
        invalidations.sum(),
        sharedTierHits.sum(),
        sharedTierFailures.sum());
  }
}
