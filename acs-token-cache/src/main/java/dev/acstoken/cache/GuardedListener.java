package dev.acstoken.cache;

import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards events to the stats recorder and the user's listener; a listener that throws is logged
 * and never breaks the cache.
 */
final class GuardedListener implements CacheListener {

  private static final Logger LOG = LoggerFactory.getLogger(CachingTokenProvider.class);

  private final @Nullable StatsRecorder stats;
  private final CacheListener user;

  GuardedListener(@Nullable StatsRecorder stats, CacheListener user) {
    this.stats = stats;
    this.user = user;
  }

  private static void failed(String event, RuntimeException e) {
    LOG.warn("cache listener failed on {}; event ignored", event, e);
  }

  @Override
  public void onHit(TokenRequest request) {
    if (stats != null) {
      stats.onHit(request);
    }
    try {
      user.onHit(request);
    } catch (RuntimeException e) {
      failed("onHit", e);
    }
  }

  @Override
  public void onMiss(TokenRequest request) {
    if (stats != null) {
      stats.onMiss(request);
    }
    try {
      user.onMiss(request);
    } catch (RuntimeException e) {
      failed("onMiss", e);
    }
  }

  @Override
  public void onWait(TokenRequest request, Duration waited) {
    if (stats != null) {
      stats.onWait(request, waited);
    }
    try {
      user.onWait(request, waited);
    } catch (RuntimeException e) {
      failed("onWait", e);
    }
  }

  @Override
  public void onRefreshStarted(TokenRequest request) {
    if (stats != null) {
      stats.onRefreshStarted(request);
    }
    try {
      user.onRefreshStarted(request);
    } catch (RuntimeException e) {
      failed("onRefreshStarted", e);
    }
  }

  @Override
  public void onRefreshSucceeded(TokenRequest request, Duration latency) {
    if (stats != null) {
      stats.onRefreshSucceeded(request, latency);
    }
    try {
      user.onRefreshSucceeded(request, latency);
    } catch (RuntimeException e) {
      failed("onRefreshSucceeded", e);
    }
  }

  @Override
  public void onRefreshFailed(TokenRequest request, AcsException error, boolean terminal) {
    if (stats != null) {
      stats.onRefreshFailed(request, error, terminal);
    }
    try {
      user.onRefreshFailed(request, error, terminal);
    } catch (RuntimeException e) {
      failed("onRefreshFailed", e);
    }
  }

  @Override
  public void onRateLimited(TokenRequest request) {
    if (stats != null) {
      stats.onRateLimited(request);
    }
    try {
      user.onRateLimited(request);
    } catch (RuntimeException e) {
      failed("onRateLimited", e);
    }
  }

  @Override
  public void onEviction(TokenRequest request) {
    if (stats != null) {
      stats.onEviction(request);
    }
    try {
      user.onEviction(request);
    } catch (RuntimeException e) {
      failed("onEviction", e);
    }
  }

  @Override
  public void onInvalidation(TokenRequest request) {
    if (stats != null) {
      stats.onInvalidation(request);
    }
    try {
      user.onInvalidation(request);
    } catch (RuntimeException e) {
      failed("onInvalidation", e);
    }
  }

  @Override
  public void onSharedTierHit(TokenRequest request) {
    if (stats != null) {
      stats.onSharedTierHit(request);
    }
    try {
      user.onSharedTierHit(request);
    } catch (RuntimeException e) {
      failed("onSharedTierHit", e);
    }
  }

  @Override
  public void onSharedTierFailure(@Nullable TokenRequest request, Throwable cause) {
    if (stats != null) {
      stats.onSharedTierFailure(request, cause);
    }
    try {
      user.onSharedTierFailure(request, cause);
    } catch (RuntimeException e) {
      failed("onSharedTierFailure", e);
    }
  }

  @Override
  public void onPrefetchProgress(int completed, int failed, int total) {
    try {
      user.onPrefetchProgress(completed, failed, total);
    } catch (RuntimeException e) {
      failed("onPrefetchProgress", e);
    }
  }
}
