package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A working in-memory {@link SharedTier}: one {@link Store} stands for the shared server, {@link
 * Store#connect()} gives each instance of a simulated fleet its own view. Leases expire on the
 * store's time source, as Redis's {@code PX} does. Every call answers at once (completed futures),
 * fails at once while {@link Store#failing} is set, or never answers while {@link Store#hanging}
 * is. Thread-safe (one lock).
 */
final class InMemorySharedTier implements SharedTier {

  /** The shared server. */
  static final class Store {
    private final TimeSource time;
    private final Map<TokenRequest, AccessToken> records = new HashMap<>();
    private final Map<TokenRequest, Lease> leases = new HashMap<>();
    private final Map<IdentityId, Long> epochs = new HashMap<>();
    private final List<InMemorySharedTier> instances = new CopyOnWriteArrayList<>();
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger stores = new AtomicInteger();
    final AtomicInteger refusedStores = new AtomicInteger();
    volatile boolean failing;

    /** While set, every call answers never: a tier that hangs. */
    volatile boolean hanging;

    Store(TimeSource time) {
      this.time = time;
    }

    InMemorySharedTier connect() {
      InMemorySharedTier t = new InMemorySharedTier(this);
      instances.add(t);
      return t;
    }

    synchronized @Nullable AccessToken record(TokenRequest key) {
      return records.get(key);
    }

    synchronized void put(TokenRequest key, AccessToken token) {
      records.put(key, token);
    }
  }

  private record Lease(String owner, long expiresAtNanos, long epoch) {}

  private final Store store;
  private final List<Consumer<IdentityId>> subscribers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private InMemorySharedTier(Store store) {
    this.store = store;
  }

  /** A tier of its own store on the system clock, for tests that only need an instance. */
  InMemorySharedTier() {
    this(new Store(TimeSource.system()));
  }

  private <T> @Nullable CompletableFuture<T> unavailable() {
    if (store.failing || closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("shared tier unavailable"));
    }
    return store.hanging ? new CompletableFuture<>() : null;
  }

  @Override
  public CompletableFuture<Claim> claim(TokenRequest key, Instant minExpiry, Duration leaseTime) {
    CompletableFuture<Claim> down = unavailable();
    if (down != null) {
      return down;
    }
    synchronized (store) {
      store.claims.incrementAndGet();
      AccessToken t = store.records.get(key);
      if (t != null && t.expiresAt().isAfter(minExpiry)) {
        return CompletableFuture.completedFuture(Claim.token(t));
      }
      long now = store.time.nanoTime();
      Lease l = store.leases.get(key);
      if (l != null && now - l.expiresAtNanos < 0) {
        return CompletableFuture.completedFuture(Claim.busy());
      }
      Lease mine =
          new Lease(
              UUID.randomUUID().toString(),
              now + leaseTime.toNanos(),
              store.epochs.getOrDefault(key.identity(), 0L));
      store.leases.put(key, mine);
      return CompletableFuture.completedFuture(Claim.leased(mine));
    }
  }

  @Override
  public CompletableFuture<@Nullable AccessToken> read(TokenRequest key, Instant minExpiry) {
    CompletableFuture<@Nullable AccessToken> down = unavailable();
    if (down != null) {
      return down;
    }
    synchronized (store) {
      AccessToken t = store.records.get(key);
      return CompletableFuture.completedFuture(
          t != null && t.expiresAt().isAfter(minExpiry) ? t : null);
    }
  }

  @Override
  public CompletableFuture<Boolean> store(TokenRequest key, Claim lease, AccessToken token) {
    CompletableFuture<Boolean> down = unavailable();
    if (down != null) {
      return down;
    }
    Lease mine = (Lease) lease.fence();
    synchronized (store) {
      Lease current = store.leases.get(key);
      if (current != null && current.owner.equals(mine.owner)) {
        store.leases.remove(key);
      }
      AccessToken existing = store.records.get(key);
      boolean epochMoved = store.epochs.getOrDefault(key.identity(), 0L) != mine.epoch;
      if (epochMoved || (existing != null && !token.expiresAt().isAfter(existing.expiresAt()))) {
        store.refusedStores.incrementAndGet();
        return CompletableFuture.completedFuture(false);
      }
      store.records.put(key, token);
      store.stores.incrementAndGet();
      return CompletableFuture.completedFuture(true);
    }
  }

  @Override
  public CompletableFuture<Void> release(TokenRequest key, Claim lease) {
    CompletableFuture<Void> down = unavailable();
    if (down != null) {
      return down;
    }
    Lease mine = (Lease) lease.fence();
    synchronized (store) {
      Lease current = store.leases.get(key);
      if (current != null && current.owner.equals(mine.owner)) {
        store.leases.remove(key);
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> invalidate(IdentityId identity) {
    CompletableFuture<Void> down = unavailable();
    if (down != null) {
      return down;
    }
    synchronized (store) {
      store.records.keySet().removeIf(k -> k.identity().equals(identity));
      store.epochs.merge(identity, 1L, Long::sum);
    }
    for (InMemorySharedTier other : store.instances) {
      if (other != this && !other.closed) {
        other.subscribers.forEach(s -> s.accept(identity));
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Boolean> invalidateIfCurrent(TokenRequest key, AccessToken rejected) {
    CompletableFuture<Boolean> down = unavailable();
    if (down != null) {
      return down;
    }
    synchronized (store) {
      return CompletableFuture.completedFuture(store.records.remove(key, rejected));
    }
  }

  @Override
  public void subscribe(Consumer<IdentityId> subscriber) {
    subscribers.add(subscriber);
  }

  @Override
  public void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }
}
