package dev.acstoken.cache.redis;

import dev.acstoken.cache.SharedTier;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.Futures;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The fleet tier on Redis: a {@link SharedTier} that a {@link
 * dev.acstoken.cache.CachingTokenProvider} consults, so that every instance of a service shares one
 * token per key.
 *
 * <pre>{@code
 * RedisSharedTier tier = RedisSharedTier.builder()
 *     .redisUri("rediss://redis.internal:6380")
 *     .encryptionKeys(EncryptionKeys.of("2026-11", System.getenv("TOKEN_CACHE_KEY")))
 *     .build();
 * CachingTokenProvider cache = CachingTokenProvider.builder(acs).sharedTier(tier).build();
 * IdentityOperations identities = cache.invalidatingOperations(acs);
 * }</pre>
 *
 * <p>The tier decides nothing and has no clock: the cache decides freshness, single flight,
 * timeouts and fallback, and hands the tier expiry instants to compare. Each operation is one Lua
 * script on the slot of one identity ({@link #claim} is read-or-lease in one round trip, {@link
 * #store} is fenced by the identity's invalidation epoch and by expiry). Tokens are stored
 * encrypted with AES-GCM ({@link EncryptionKeys}), the Redis key bound into the authenticated data;
 * a record expires in Redis when its token does. Invalidations delete an identity's records, move
 * its epoch, are kept in a capped stream and published to every instance; invalidations made while
 * Redis was unreachable are replayed when it answers again, and an instance whose pub/sub
 * connection was down reads the ones it missed from the stream. Redis is a single server, a
 * Sentinel-managed primary ({@link RedisSharedTierBuilder#redisUri(String)}) or a Redis Cluster
 * ({@link RedisSharedTierBuilder#redisCluster(String...)}); every script touches the slot of one
 * key's identity.
 *
 * <p>Every Redis failure fails the returned future with a {@link RedisTierException}: while the
 * connection is down at once (commands are rejected, not queued), otherwise after at most the
 * {@link RedisSharedTierBuilder#commandTimeout command timeout}. A failure never makes later calls
 * skip Redis. Futures complete on the {@link RedisSharedTierBuilder#executor executor}, never on
 * Lettuce's I/O threads.
 *
 * <p>Thread-safe. One tier holds one Lettuce client (two connections) and, unless {@link
 * RedisSharedTierBuilder#clientResources} are given, Lettuce's threads; {@link #close()} releases
 * them. Nothing it logs, throws or prints holds a token or a key.
 */
public final class RedisSharedTier implements SharedTier {

  private static final int MAX_PENDING_INVALIDATIONS = 10_000;
  private static final long EPOCH_TTL_MILLIS = Duration.ofHours(25).toMillis();
  // the stream of invalidations keeps about this many; an instance whose pub/sub connection is
  // down while more are made loses the oldest (ACS allows 500 revocations per 30 s per resource:
  // 10 minutes at that rate)
  static final int INVALIDATION_LOG_LENGTH = 10_000;
  private static final int CATCH_UP_BATCH = 500;

  private final KeyLayout layout;
  private final RecordCipher cipher;
  private final EncryptionKeys keys;
  private final String prefix;
  private final RedisTierListener listener;
  private final Executor executor;
  private final RedisLink redis;
  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong leaseCounter = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Consumer<IdentityId>> subscribers = new CopyOnWriteArrayList<>();
  // invalidations Redis did not take, replayed when it answers again: records other instances
  // stored meanwhile, and their local caches, must not outlive a revocation
  private final Set<IdentityId> pendingInvalidations = ConcurrentHashMap.newKeySet();
  // a replay of them scheduled while the link is up (one at a time)
  private final AtomicBoolean replayScheduled = new AtomicBoolean();

  private final LongAdder tokensFound = new LongAdder();
  private final LongAdder leasesTaken = new LongAdder();
  private final LongAdder busyClaims = new LongAdder();
  private final LongAdder tokensStored = new LongAdder();
  private final LongAdder storesRefused = new LongAdder();
  private final LongAdder unreadableRecords = new LongAdder();
  private final LongAdder invalidationsPublished = new LongAdder();
  private final LongAdder invalidationsReceived = new LongAdder();
  private final LongAdder invalidationsCaughtUp = new LongAdder();

  // the stream id of the newest invalidation this instance has seen (heard or caught up); null
  // until the first look at the stream
  private final Object seenLock = new Object();
  private @Nullable String lastSeen;
  // whether the pub/sub connection is subscribed; while not, invalidations are read from the
  // stream every probe interval, and once more after every resubscription
  private volatile boolean subscribed;
  private final AtomicBoolean catchingUp = new AtomicBoolean();

  RedisSharedTier(RedisSharedTierBuilder b, RedisURI uri, EncryptionKeys encryptionKeys) {
    this.prefix = b.keyPrefix;
    this.layout = new KeyLayout(b.keyPrefix, b.resource);
    this.keys = encryptionKeys;
    this.cipher = new RecordCipher(encryptionKeys);
    this.listener = b.listener;
    this.executor = b.executor != null ? b.executor : SharedPool.EXECUTOR;
    this.redis =
        new RedisLink(
            uri,
            b.clusterSeeds,
            b.clientResources,
            b.clientOptions,
            b.commandTimeout,
            executor,
            layout.channel(),
            new RedisLink.Events() {
              @Override
              public void available() {
                notifyListener(RedisTierListener::onRedisAvailable);
                replayPendingInvalidations();
              }

              @Override
              public void unavailable(Throwable cause) {
                notifyListener(l -> l.onRedisUnavailable(cause));
              }

              @Override
              public void message(String message) {
                onMessage(message);
              }

              @Override
              public void connected(RedisClusterAsyncCommands<String, byte[]> commands) {
                firstLook(commands);
              }

              @Override
              public void subscribed() {
                onSubscribed();
              }

              @Override
              public void subscriptionLost() {
                onSubscriptionLost();
              }
            });
    redis.start();
  }

  /** {@return a builder; a Redis URI and the encryption keys are required} */
  public static RedisSharedTierBuilder builder() {
    return new RedisSharedTierBuilder();
  }

  // ---------------------------------------------------------------------------------- the SPI

  /**
   * {@inheritDoc}
   *
   * <p>One script: the record if its expiry is after {@code minExpiry}; else {@code SET NX PX} of
   * the lease with a random owner, the fence holding that owner and the identity's invalidation
   * epoch; else busy. A record that does not decrypt is treated as absent (a second script then
   * only tries the lease).
   */
  @Override
  public CompletableFuture<Claim> claim(TokenRequest key, Instant minExpiry, Duration leaseTime) {
    requireNonNull("key", key);
    requireNonNull("minExpiry", minExpiry);
    if (leaseTime == null || leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be at least 1 ms; got " + leaseTime);
    }
    String owner = instanceId + "/" + leaseCounter.incrementAndGet();
    KeyLayout.RequestKeys k = layout.keys(key);
    CompletableFuture<Claim> claim = claim(key, k, minExpiry, leaseTime, owner, false);
    claim.whenComplete(
        (c, error) -> {
          if (error != null) {
            // a claim that timed out may still run on Redis and take the lease that nobody would
            // use: the release is queued behind it on the same connection, so it undoes it
            release(k, owner);
          }
        });
    return claim;
  }

  private CompletableFuture<Claim> claim(
      TokenRequest key,
      KeyLayout.RequestKeys k,
      Instant minExpiry,
      Duration leaseTime,
      String owner,
      boolean skipRecord) {
    return redis
        .<List<Object>>call(
            c ->
                c.eval(
                    Scripts.CLAIM,
                    ScriptOutputType.MULTI,
                    new String[] {k.record(), k.lease(), k.epoch()},
                    bytes(Long.toString(minExpiry.toEpochMilli())),
                    bytes(Long.toString(leaseTime.toMillis())),
                    bytes(owner),
                    bytes(skipRecord ? "1" : "0")))
        .thenCompose(
            reply -> {
              long kind = (Long) reply.get(0);
              if (kind == 1) {
                AccessToken token = usable(key, k, (byte[]) reply.get(1), minExpiry);
                if (token != null) {
                  tokensFound.increment();
                  return CompletableFuture.completedFuture(Claim.token(token));
                }
                return claim(key, k, minExpiry, leaseTime, owner, true);
              }
              if (kind == 2) {
                leasesTaken.increment();
                String epoch = new String((byte[]) reply.get(1), StandardCharsets.UTF_8);
                return CompletableFuture.completedFuture(Claim.leased(new Fence(owner, epoch)));
              }
              busyClaims.increment();
              return CompletableFuture.completedFuture(Claim.busy());
            });
  }

  /** {@inheritDoc} */
  @Override
  public CompletableFuture<@Nullable AccessToken> read(TokenRequest key, Instant minExpiry) {
    requireNonNull("key", key);
    requireNonNull("minExpiry", minExpiry);
    KeyLayout.RequestKeys k = layout.keys(key);
    return redis
        .call(c -> c.hget(k.record(), "r"))
        .thenApply(
            value -> {
              AccessToken token = value == null ? null : usable(key, k, value, minExpiry);
              if (token != null) {
                tokensFound.increment();
              }
              return token;
            });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One script: refused if the identity's epoch moved since the claim, if the stored token
   * expires at or after this one, or if this one expired already by Redis's clock; else stored
   * until the token's expiry and added to the identity's index. The lease is deleted if still
   * owned, whatever the outcome.
   *
   * @throws IllegalArgumentException if the claim holds no lease of this tier
   */
  @Override
  public CompletableFuture<Boolean> store(TokenRequest key, Claim lease, AccessToken token) {
    requireNonNull("key", key);
    requireNonNull("token", token);
    Fence fence = fence(lease);
    KeyLayout.RequestKeys k = layout.keys(key);
    byte[] record = cipher.encrypt(token, k.record());
    return redis
        .<Long>call(
            c ->
                c.eval(
                    Scripts.STORE,
                    ScriptOutputType.INTEGER,
                    new String[] {k.record(), k.index(), k.epoch(), k.lease()},
                    bytes(Long.toString(token.expiresAt().toEpochMilli())),
                    record,
                    bytes(fence.epoch()),
                    bytes(fence.owner())))
        .thenApply(
            outcome -> {
              boolean stored = outcome != null && outcome == 1L;
              (stored ? tokensStored : storesRefused).increment();
              return stored;
            });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the claim holds no lease of this tier
   */
  @Override
  public CompletableFuture<Void> release(TokenRequest key, Claim lease) {
    requireNonNull("key", key);
    return release(layout.keys(key), fence(lease).owner());
  }

  private CompletableFuture<Void> release(KeyLayout.RequestKeys k, String owner) {
    return redis
        .<Long>call(
            c ->
                c.eval(
                    Scripts.RELEASE,
                    ScriptOutputType.INTEGER,
                    new String[] {k.lease()},
                    bytes(owner)))
        .thenApply(released -> null);
  }

  /**
   * {@inheritDoc}
   *
   * <p>If Redis does not take it, the future fails, the listener hears {@link
   * RedisTierListener#onInvalidationNotShared}, and the invalidation is replayed when Redis answers
   * again.
   */
  @Override
  public CompletableFuture<Void> invalidate(IdentityId identity) {
    requireNonNull("identity", identity);
    KeyLayout.IdentityKeys k = layout.keys(identity);
    // records deleted and epoch moved first: an instance that hears the notice and claims again
    // must not find a record of before the invalidation
    CompletableFuture<byte[]> call =
        redis
            .<Long>call(
                c ->
                    c.eval(
                        Scripts.INVALIDATE,
                        ScriptOutputType.INTEGER,
                        new String[] {k.index(), k.epoch()},
                        bytes(Long.toString(EPOCH_TTL_MILLIS))))
            .thenCompose(
                epoch ->
                    redis.<byte[]>call(
                        c ->
                            c.eval(
                                Scripts.ANNOUNCE,
                                ScriptOutputType.VALUE,
                                new String[] {layout.invalidationLog()},
                                bytes(Integer.toString(INVALIDATION_LOG_LENGTH)),
                                bytes(layout.channel()),
                                bytes(instanceId),
                                bytes(identity.value()))));
    return call.handle(
            (epoch, error) -> {
              if (error == null) {
                pendingInvalidations.remove(identity);
                invalidationsPublished.increment();
              } else {
                if (pendingInvalidations.size() < MAX_PENDING_INVALIDATIONS) {
                  pendingInvalidations.add(identity);
                }
                replayWhileUp();
                Throwable cause = Futures.unwrap(error);
                notifyListener(l -> l.onInvalidationNotShared(identity, cause));
              }
              return error;
            })
        .thenCompose(
            error ->
                error == null
                    ? CompletableFuture.<Void>completedFuture(null)
                    : CompletableFuture.<Void>failedFuture(Futures.unwrap(error)));
  }

  /**
   * An invalidation failed while the link stays up: in Redis Cluster one node (the identity's or
   * the stream's) may be down or not yet known to have been replaced while the others answer, and
   * no {@code available} event will come to replay it. Replays every probe interval while some are
   * pending and the link is up; while it is down, its return replays them.
   */
  private void replayWhileUp() {
    if (!redis.available() || !replayScheduled.compareAndSet(false, true)) {
      return;
    }
    redis.schedule(
        () -> {
          replayScheduled.set(false);
          if (!closed.get() && redis.available()) {
            replayPendingInvalidations();
          }
        });
  }

  private void replayPendingInvalidations() {
    for (IdentityId identity : List.copyOf(pendingInvalidations)) {
      // kept again if Redis went away once more
      invalidate(identity);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads the record, and if it decrypts to the rejected token deletes it only if its encrypted
   * bytes are still those read (a record stored since stays).
   */
  @Override
  public CompletableFuture<Boolean> invalidateIfCurrent(TokenRequest key, AccessToken rejected) {
    requireNonNull("key", key);
    requireNonNull("rejected", rejected);
    KeyLayout.RequestKeys k = layout.keys(key);
    return redis
        .call(c -> c.hget(k.record(), "r"))
        .thenCompose(
            value -> {
              AccessToken current = value == null ? null : cipher.decrypt(value, k.record());
              if (current == null || !current.equals(rejected)) {
                return CompletableFuture.completedFuture(false);
              }
              return redis
                  .<Long>call(
                      c ->
                          c.eval(
                              Scripts.DELETE_IF_CURRENT,
                              ScriptOutputType.INTEGER,
                              new String[] {k.record()},
                              value))
                  .thenApply(deleted -> deleted != null && deleted == 1L);
            });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Subscribers run on the tier's executor.
   */
  @Override
  public void subscribe(Consumer<IdentityId> subscriber) {
    requireNonNull("subscriber", subscriber);
    subscribers.add(subscriber);
  }

  private void onMessage(String message) {
    // "i <stream id> <instance> <identity>": an identity was invalidated
    String[] parts = message.split(" ", 4);
    if (parts.length != 4 || !parts[0].equals("i")) {
      return;
    }
    seen(parts[1], parts[2], parts[3], false);
  }

  // ---------------------------------------------------------------- no invalidation lost

  private void onSubscribed() {
    subscribed = true;
    // what was published before the subscription took effect is in the stream; read it now, and
    // again until one read succeeds (the command connection may not be up yet: a first look that
    // failed would otherwise be taken later, after an invalidation it would then skip)
    if (closed.get()) {
      return;
    }
    if (catchingUp.compareAndSet(false, true)) {
      pollOnce();
    } else {
      catchUp();
    }
  }

  private void onSubscriptionLost() {
    subscribed = false;
    pollWhileUnsubscribed();
  }

  /**
   * While the pub/sub connection is down, reads the stream every probe interval through the command
   * connection (which may well be up), until a catch-up that began while subscribed succeeded; the
   * same loop runs after each subscription until one read succeeds.
   */
  private void pollWhileUnsubscribed() {
    if (closed.get() || !catchingUp.compareAndSet(false, true)) {
      return;
    }
    redis.schedule(this::pollOnce);
  }

  private void pollOnce() {
    if (closed.get()) {
      return;
    }
    boolean subscribedAtStart = subscribed;
    catchUp()
        .whenComplete(
            (done, error) -> {
              if (error == null && subscribedAtStart && subscribed) {
                catchingUp.set(false);
                if (!subscribed) {
                  // lost again in between: keep polling
                  pollWhileUnsubscribed();
                }
              } else {
                redis.schedule(this::pollOnce);
              }
            });
  }

  /**
   * The first look at the stream, sent on a new command connection before any claim or read of the
   * tier: every token this instance gets through Redis comes after the position it notes, so no
   * invalidation of such a token is skipped. (A token from ACS while Redis was unreachable since
   * start may miss invalidations made meanwhile; the instance then starts from its first look.)
   */
  private void firstLook(RedisClusterAsyncCommands<String, byte[]> commands) {
    synchronized (seenLock) {
      if (lastSeen != null) {
        return;
      }
    }
    try {
      commands
          .xrevrange(layout.invalidationLog(), Range.unbounded(), Limit.from(1))
          .whenComplete(
              (newest, error) -> {
                if (error == null) {
                  noteNewest(newest);
                }
              });
    } catch (RuntimeException e) {
      // the catch-up takes its first look later
    }
  }

  private void noteNewest(List<StreamMessage<String, byte[]>> newest) {
    String id = newest.isEmpty() ? "0-0" : newest.get(0).getId();
    synchronized (seenLock) {
      if (lastSeen == null || compareIds(id, lastSeen) > 0) {
        lastSeen = id;
      }
    }
  }

  /** Reads the invalidations after the newest one seen and hands them on; completes when done. */
  private CompletableFuture<Void> catchUp() {
    String from;
    synchronized (seenLock) {
      from = lastSeen;
    }
    String log = layout.invalidationLog();
    if (from == null) {
      // the first look did not happen on connect (it failed): take it now
      return redis
          .<List<StreamMessage<String, byte[]>>>call(
              c -> c.xrevrange(log, Range.unbounded(), Limit.from(1)))
          .thenAccept(this::noteNewest);
    }
    return redis
        .<List<StreamMessage<String, byte[]>>>call(
            c ->
                c.xrange(
                    log,
                    Range.from(Range.Boundary.excluding(from), Range.Boundary.unbounded()),
                    Limit.from(CATCH_UP_BATCH)))
        .thenCompose(
            entries -> {
              for (StreamMessage<String, byte[]> entry : entries) {
                byte[] origin = entry.getBody().get("o");
                byte[] identity = entry.getBody().get("i");
                if (origin != null && identity != null) {
                  seen(
                      entry.getId(),
                      new String(origin, StandardCharsets.UTF_8),
                      new String(identity, StandardCharsets.UTF_8),
                      true);
                }
              }
              return entries.size() == CATCH_UP_BATCH
                  ? catchUp()
                  : CompletableFuture.<Void>completedFuture(null);
            });
  }

  /**
   * Hands an invalidation on to the subscribers, once: heard and caught up alike, only if it is
   * newer than every one seen (stream ids grow); our own need no telling.
   */
  private void seen(String id, String origin, String identityValue, boolean caughtUp) {
    synchronized (seenLock) {
      if (lastSeen != null && compareIds(id, lastSeen) <= 0) {
        return;
      }
      lastSeen = id;
    }
    if (origin.equals(instanceId)) {
      return;
    }
    IdentityId identity;
    try {
      identity = IdentityId.of(identityValue);
    } catch (IllegalArgumentException e) {
      return;
    }
    invalidationsReceived.increment();
    if (caughtUp) {
      invalidationsCaughtUp.increment();
    }
    redis.complete(
        () -> {
          notifyListener(l -> l.onInvalidationReceived(identity));
          for (Consumer<IdentityId> subscriber : subscribers) {
            try {
              subscriber.accept(identity);
            } catch (RuntimeException e) {
              // one subscriber's failure must not keep the invalidation from the others
            }
          }
        });
  }

  /** {@return the token of a record, or null if it does not decrypt or does not beat minExpiry} */
  private @Nullable AccessToken usable(
      TokenRequest key, KeyLayout.RequestKeys k, byte[] value, Instant minExpiry) {
    AccessToken token = cipher.decrypt(value, k.record());
    if (token == null) {
      unreadableRecords.increment();
      notifyListener(l -> l.onUnreadableRecord(key));
      return null;
    }
    // the authenticated expiry decides, not the clear one the script compared
    return token.expiresAt().isAfter(minExpiry) ? token : null;
  }

  private static Fence fence(@Nullable Claim lease) {
    if (lease == null || !(lease.fence() instanceof Fence)) {
      throw new IllegalArgumentException("lease must be a leased claim of this tier; got " + lease);
    }
    return (Fence) lease.fence();
  }

  /** The proof of a lease: its owner, and the identity's invalidation epoch at the claim. */
  private record Fence(String owner, String epoch) {}

  // ------------------------------------------------------------------------------- lifecycle

  /**
   * Checks Redis now with a {@code PING}.
   *
   * @return a future of whether Redis answered within the command timeout; never exceptional
   */
  public CompletableFuture<Boolean> checkRedis() {
    return redis.ping();
  }

  /** {@return the counters of this tier since it was built and whether Redis is reachable now} */
  public RedisTierStats stats() {
    return new RedisTierStats(
        tokensFound.sum(),
        leasesTaken.sum(),
        busyClaims.sum(),
        tokensStored.sum(),
        storesRefused.sum(),
        redis.failures(),
        unreadableRecords.sum(),
        invalidationsPublished.sum(),
        invalidationsReceived.sum(),
        invalidationsCaughtUp.sum(),
        pendingInvalidations.size(),
        redis.available());
  }

  /** {@return Redis commands sent whose futures have not finished completing; for simulations} */
  int callsInFlight() {
    return redis.inFlight();
  }

  /**
   * Closes the Redis connections and, unless they were given, Lettuce's resources; calls in flight
   * fail. Idempotent. The executor is not shut down.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      redis.close();
    }
  }

  /** {@return the key prefix, the key ids and the Redis state; never a token or a key} */
  @Override
  public String toString() {
    return "RedisSharedTier[keyPrefix="
        + prefix
        + ", keys="
        + keys
        + ", redisAvailable="
        + redis.available()
        + "]";
  }

  private void notifyListener(Consumer<RedisTierListener> event) {
    try {
      event.accept(listener);
    } catch (RuntimeException e) {
      // a listener must not break a call
    }
  }

  /** Compares two stream ids ({@code <ms>-<seq>}); an id that does not parse is the smallest. */
  static int compareIds(String a, String b) {
    long[] x = parseId(a);
    long[] y = parseId(b);
    int c = Long.compare(x[0], y[0]);
    return c != 0 ? c : Long.compare(x[1], y[1]);
  }

  private static long[] parseId(String id) {
    int dash = id.indexOf('-');
    try {
      return dash < 0
          ? new long[] {Long.parseLong(id), 0}
          : new long[] {
            Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))
          };
    } catch (NumberFormatException e) {
      return new long[] {-1, -1};
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void requireNonNull(String name, @Nullable Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }

  /**
   * The default executor, shared by every tier of the process: at most {@value #MAX_THREADS} daemon
   * threads, each let go after 30 idle seconds; tasks queue when all are busy, so a completion
   * never falls back to Lettuce's I/O thread. A continuation that blocks (a synchronous backend
   * call chained on a claim) ties up one of them, not the I/O thread every command needs.
   */
  private static final class SharedPool {
    static final int MAX_THREADS = 32;
    static final Executor EXECUTOR;

    static {
      AtomicInteger n = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              MAX_THREADS,
              MAX_THREADS,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "acs-token-redis-tier-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      pool.allowCoreThreadTimeOut(true);
      EXECUTOR = pool;
    }
  }
}
