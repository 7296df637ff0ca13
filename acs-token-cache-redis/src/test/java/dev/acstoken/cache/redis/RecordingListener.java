package dev.acstoken.cache.redis;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that records what a tier told it. Thread-safe. */
final class RecordingListener implements RedisTierListener {

  final Map<TokenSource, AtomicInteger> served = new ConcurrentHashMap<>();
  final List<Throwable> unavailable = new CopyOnWriteArrayList<>();
  final AtomicInteger available = new AtomicInteger();
  final AtomicInteger unreadable = new AtomicInteger();
  final List<IdentityId> invalidations = new CopyOnWriteArrayList<>();
  final List<IdentityId> notShared = new CopyOnWriteArrayList<>();

  @Override
  public void onServed(TokenRequest request, TokenSource source) {
    served.computeIfAbsent(source, s -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void onRedisUnavailable(Throwable cause) {
    unavailable.add(cause);
  }

  @Override
  public void onRedisAvailable() {
    available.incrementAndGet();
  }

  @Override
  public void onUnreadableRecord(TokenRequest request) {
    unreadable.incrementAndGet();
  }

  @Override
  public void onInvalidation(IdentityId identity, boolean local) {
    invalidations.add(identity);
  }

  @Override
  public void onInvalidationNotShared(IdentityId identity, Throwable cause) {
    notShared.add(identity);
  }

  int served(TokenSource source) {
    AtomicInteger n = served.get(source);
    return n == null ? 0 : n.get();
  }
}
