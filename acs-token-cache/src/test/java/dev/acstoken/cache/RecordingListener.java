package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** Captures the cache's events; {@link #misses} lets a test wait until N callers have joined. */
final class RecordingListener implements CacheListener {

  final AtomicInteger hits = new AtomicInteger();
  final Semaphore misses = new Semaphore(0);
  final AtomicInteger missCount = new AtomicInteger();
  final AtomicInteger waits = new AtomicInteger();
  final AtomicInteger started = new AtomicInteger();
  final AtomicInteger succeeded = new AtomicInteger();
  final List<AcsException> failures = new CopyOnWriteArrayList<>();
  final List<Boolean> terminal = new CopyOnWriteArrayList<>();
  final AtomicInteger rateLimited = new AtomicInteger();
  final AtomicInteger evictions = new AtomicInteger();
  final AtomicInteger invalidations = new AtomicInteger();

  @Override
  public void onHit(TokenRequest request) {
    hits.incrementAndGet();
  }

  @Override
  public void onMiss(TokenRequest request) {
    missCount.incrementAndGet();
    misses.release();
  }

  @Override
  public void onWait(TokenRequest request, Duration waited) {
    waits.incrementAndGet();
  }

  @Override
  public void onRefreshStarted(TokenRequest request) {
    started.incrementAndGet();
  }

  @Override
  public void onRefreshSucceeded(TokenRequest request, Duration latency) {
    succeeded.incrementAndGet();
  }

  @Override
  public void onRefreshFailed(TokenRequest request, AcsException error, boolean isTerminal) {
    failures.add(error);
    terminal.add(isTerminal);
  }

  @Override
  public void onRateLimited(TokenRequest request) {
    rateLimited.incrementAndGet();
  }

  @Override
  public void onEviction(TokenRequest request) {
    evictions.incrementAndGet();
  }

  @Override
  public void onInvalidation(TokenRequest request) {
    invalidations.incrementAndGet();
  }
}
