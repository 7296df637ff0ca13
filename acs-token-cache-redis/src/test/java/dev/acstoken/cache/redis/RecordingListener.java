package dev.acstoken.cache.redis;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A listener that records what a tier told it. Thread-safe. */
final class RecordingListener implements RedisTierListener {

  final List<Throwable> unavailable = new CopyOnWriteArrayList<>();
  final AtomicInteger available = new AtomicInteger();
  final AtomicInteger unreadable = new AtomicInteger();
  final List<IdentityId> received = new CopyOnWriteArrayList<>();
  final List<IdentityId> notShared = new CopyOnWriteArrayList<>();
  final List<Throwable> notSharedCauses = new CopyOnWriteArrayList<>();

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
  public void onInvalidationReceived(IdentityId identity) {
    received.add(identity);
  }

  @Override
  public void onInvalidationNotShared(IdentityId identity, Throwable cause) {
    notShared.add(identity);
    notSharedCauses.add(cause);
  }
}
