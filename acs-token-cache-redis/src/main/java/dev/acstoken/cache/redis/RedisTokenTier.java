package dev.acstoken.cache.redis;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.RequestTimeoutException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The fleet tier of the token cache: a {@link TokenProvider} that shares one token per key among
 * every instance of a service through Redis, between each instance's local cache and ACS.
 *
 * <pre>{@code
 * RedisTokenTier tier = RedisTokenTier.builder()
 *     .delegate(acsClient)                                  // the real backend
 *     .redisUri(RedisURI.create("rediss://redis.internal:6380"))
 *     .encryptionKeys(EncryptionKeys.of("2026-11", System.getenv("TOKEN_CACHE_KEY")))
 *     .build();
 * CachingTokenProvider local = CachingTokenProvider.builder(tier).build();
 * tier.onInvalidation(local::invalidate);   // revocations on other instances reach this one
 * IdentityOperations identities = tier.identityOperations(acsClient);
 * AccessToken token = local.getToken(TokenRequest.of(identity, Scope.VOIP));
 * }</pre>
 *
 * <p>For a request it reads the record of that key from Redis and returns the token if it is before
 * its shared refresh point ({@link Builder#refreshFraction}). Otherwise one instance of the fleet
 * takes the key's lease ({@code SET NX PX} with an owner token), asks the delegate, stores the
 * token encrypted with a time to live of its expiry minus the {@link Builder#safetyMargin safety
 * margin}, and tells the others; the others wait for that result (a pub/sub notice, or polling) up
 * to the {@link Builder#waitTimeout wait timeout}, and meanwhile take over the lease if it expires,
 * so a crashed holder delays nobody beyond the {@link Builder#leaseTime lease}. Callers of one
 * instance that ask for the same key together share one lookup.
 *
 * <p>Redis is never a reason to fail: every Redis call has a {@link Builder#redisTimeout timeout};
 * any Redis failure sends the call to the delegate, and for a {@link Builder#redisRecheckInterval
 * recheck interval} afterwards calls skip Redis. Errors that reach a caller are the delegate's own.
 * Revocations and deletions through {@link #identityOperations} delete the identity's records and
 * reach every instance by pub/sub; {@link Builder#onInvalidation} hands them to the local cache.
 *
 * <p>Thread-safe. One tier holds one Lettuce client (two connections), one scheduler thread, and,
 * unless {@link Builder#clientResources} are given, Lettuce's I/O threads; {@link #close()}
 * releases them. Nothing it logs, throws or prints holds a token or a key.
 */
public final class RedisTokenTier implements TokenProvider, AutoCloseable {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final long INDEX_TTL_MILLIS = Duration.ofHours(25).toMillis();
  private static final int STAMP_STRIPES = 64;
  private static final int MAX_LOOKUPS = 3;
  private static final int MAX_PENDING_INVALIDATIONS = 10_000;

  private final TokenProvider delegate;
  private final Clock clock;
  private final Duration leaseTime;
  private final Duration waitTimeout;
  private final Duration pollInterval;
  private final Duration safetyMargin;
  private final Duration delegateTimeout;
  private final double refreshFraction;
  private final Executor executor;
  private final RedisTierListener listener;
  private final KeyLayout layout;
  private final RecordCipher cipher;
  private final EncryptionKeys keys;
  private final String prefix;
  private final String instanceId = UUID.randomUUID().toString();
  private final AtomicLong leaseCounter = new AtomicLong();
  private final ScheduledExecutorService scheduler;
  private final RedisLink redis;

  private final ConcurrentHashMap<TokenRequest, CompletableFuture<AccessToken>> inFlight =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> fillSignals =
      new ConcurrentHashMap<>();
  // a counter per stripe of identities, moved by every invalidation this instance sees: a lookup
  // that overlaps one of its identity's stripe starts again (a false positive costs a lookup)
  private final AtomicLongArray invalidationStamps = new AtomicLongArray(STAMP_STRIPES);
  private final java.util.concurrent.CopyOnWriteArrayList<Consumer<IdentityId>> invalidationHooks =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  // invalidations Redis did not take, replayed when it answers again: records other instances
  // stored meanwhile, and their local caches, must not outlive a revocation
  private final java.util.Set<IdentityId> pendingInvalidations = ConcurrentHashMap.newKeySet();

  private final LongAdder redisHits = new LongAdder();
  private final LongAdder staleServed = new LongAdder();
  private final LongAdder sharedRefreshes = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder leaseWaits = new LongAdder();
  private final LongAdder unreadableRecords = new LongAdder();
  private final LongAdder invalidationsPublished = new LongAdder();
  private final LongAdder invalidationsReceived = new LongAdder();

  private RedisTokenTier(Builder b, RedisURI uri, EncryptionKeys encryptionKeys) {
    this.delegate = Objects.requireNonNull(b.delegate);
    this.clock = b.clock;
    this.leaseTime = b.leaseTime;
    this.waitTimeout = b.waitTimeout;
    this.pollInterval = b.pollInterval;
    this.safetyMargin = b.safetyMargin;
    this.delegateTimeout = b.delegateTimeout;
    this.refreshFraction = b.refreshFraction;
    this.executor = b.executor;
    this.listener = b.listener;
    this.prefix = b.keyPrefix;
    this.layout = new KeyLayout(b.keyPrefix, b.resource);
    this.keys = encryptionKeys;
    this.cipher = new RecordCipher(encryptionKeys);
    if (b.onInvalidation != null) {
      invalidationHooks.add(b.onInvalidation);
    }
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "acs-token-redis-tier");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.scheduler = timer;
    this.redis =
        new RedisLink(
            uri,
            b.clientResources,
            b.clientOptions,
            b.redisTimeout,
            b.redisRecheckInterval,
            scheduler,
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
            });
    redis.start();
  }

  /**
   * Returns a builder; {@link Builder#delegate}, a Redis URI and the encryption keys are needed.
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------------------------- reading

  /**
   * Returns a token for the request: from Redis if a fresh one is shared there, else from the
   * delegate under the fleet's lease (or from another instance that holds it), else, when Redis is
   * unavailable, from the delegate directly. Blocks until one is had.
   *
   * @param request what token to issue
   * @return a token valid beyond the safety margin when Redis served it, else as the delegate gave
   * @throws AcsException as the delegate throws it; never because of Redis
   */
  @Override
  public AccessToken getToken(TokenRequest request) {
    requireRequest(request);
    try {
      return shared(request).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AcsException(
          "interrupted while waiting for a token of " + request.identity(),
          AcsException.NO_STATUS,
          null,
          null,
          e);
    } catch (ExecutionException e) {
      throw toUnchecked(e.getCause());
    }
  }

  /**
   * Returns a future of a token for the request, as {@link #getToken}; never blocks the caller. The
   * future completes on the tier's {@link Builder#executor executor}.
   *
   * @param request what token to issue
   * @return a future of the token, or completed exceptionally with the delegate's {@link
   *     AcsException}
   */
  @Override
  public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
    requireRequest(request);
    CompletableFuture<AccessToken> out = new CompletableFuture<>();
    shared(request)
        .whenCompleteAsync(
            (token, error) -> {
              if (error != null) {
                // the delegate's own exception, as the sync form throws it
                out.completeExceptionally(unwrap(error));
              } else {
                out.complete(token);
              }
            },
            executor);
    return out;
  }

  private static void requireRequest(@Nullable TokenRequest request) {
    if (request == null) {
      throw new IllegalArgumentException("request must not be null");
    }
  }

  /** One lookup per request at a time on this instance: concurrent callers share it. */
  private CompletableFuture<AccessToken> shared(TokenRequest request) {
    CompletableFuture<AccessToken> mine = new CompletableFuture<>();
    CompletableFuture<AccessToken> running = inFlight.putIfAbsent(request, mine);
    if (running != null) {
      return running;
    }
    CompletableFuture<Served> lookup;
    try {
      lookup = lookup(request, 1);
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    lookup.whenComplete(
        (served, error) -> {
          // removed before completion: a caller that comes later starts a new lookup, which
          // finds the record this one stored
          inFlight.remove(request, mine);
          if (error != null) {
            mine.completeExceptionally(unwrap(error));
          } else {
            count(served.source());
            notifyListener(l -> l.onServed(request, served.source()));
            mine.complete(served.token());
          }
        });
    return mine;
  }

  private record Served(AccessToken token, TokenSource source) {}

  private CompletableFuture<Served> lookup(TokenRequest request, int attempt) {
    long stamp = stamp(request.identity());
    return find(request)
        .thenCompose(
            served -> {
              if (attempt < MAX_LOOKUPS && stamp(request.identity()) != stamp) {
                // an invalidation of this identity arrived while we looked: the token may be
                // one it meant to remove, and the local cache was told already; look again
                return lookup(request, attempt + 1);
              }
              return CompletableFuture.completedFuture(served);
            });
  }

  private CompletableFuture<Served> find(TokenRequest request) {
    if (!redis.usable()) {
      return fallback(request);
    }
    KeyLayout.RequestKeys k = layout.keys(request);
    return redis
        .call(c -> c.mget(k.token(), k.epoch()))
        .handle(
            (values, error) -> {
              if (error != null) {
                return fallback(request);
              }
              TokenRecord record = read(request, k, values, true);
              Instant now = clock.instant();
              if (record != null && record.isFresh(now, refreshFraction, safetyMargin)) {
                return served(record.token(), TokenSource.REDIS);
              }
              long deadline = System.nanoTime() + waitTimeout.toNanos();
              return acquireOrWait(request, k, usable(record, now), deadline, true);
            })
        .thenCompose(Function.identity());
  }

  /** Takes the lease and refreshes, or waits for the instance that holds it. */
  private CompletableFuture<Served> acquireOrWait(
      TokenRequest request,
      KeyLayout.RequestKeys k,
      @Nullable TokenRecord stale,
      long deadline,
      boolean firstTry) {
    String owner = instanceId + "/" + leaseCounter.incrementAndGet();
    return redis
        .call(c -> c.set(k.lease(), bytes(owner), SetArgs.Builder.nx().px(leaseTime.toMillis())))
        .handle(
            (ok, error) -> {
              if (error != null) {
                return staleOrFallback(request, stale);
              }
              if ("OK".equals(ok)) {
                return refreshUnderLease(request, k, owner);
              }
              if (firstTry) {
                leaseWaits.increment();
              }
              return waitForShared(request, k, stale, deadline);
            })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Served> waitForShared(
      TokenRequest request, KeyLayout.RequestKeys k, @Nullable TokenRecord stale, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      // the holder neither finished nor let its lease expire in time: stop waiting
      return staleOrFallback(request, stale);
    }
    return fillOrTick(k.token(), Math.min(pollInterval.toNanos(), remaining))
        .thenCompose(ignored -> redis.call(c -> c.mget(k.token(), k.epoch())))
        .handle(
            (values, error) -> {
              if (error != null) {
                return staleOrFallback(request, stale);
              }
              TokenRecord record = read(request, k, values, false);
              Instant now = clock.instant();
              if (record != null && record.isFresh(now, refreshFraction, safetyMargin)) {
                return served(record.token(), TokenSource.REDIS);
              }
              TokenRecord usable = usable(record, now);
              if (usable == null) {
                usable = usable(stale, now);
              }
              // the lease may have expired with a crashed holder: try to take it over
              return acquireOrWait(request, k, usable, deadline, false);
            })
        .thenCompose(Function.identity());
  }

  /** Completes when another instance says it stored the key, or after the delay. */
  private CompletableFuture<Void> fillOrTick(String tokenKey, long delayNanos) {
    CompletableFuture<Void> fill =
        fillSignals.computeIfAbsent(tokenKey, x -> new CompletableFuture<>());
    CompletableFuture<Void> tick = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    try {
      timer = scheduler.schedule(() -> tick.complete(null), delayNanos, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new RedisUnavailableException("the tier is closed"));
    }
    return CompletableFuture.anyOf(fill, tick)
        .thenRun(
            () -> {
              timer.cancel(false);
              // one waiter per key on an instance (lookups are shared): the signal is ours
              fillSignals.remove(tokenKey, fill);
            });
  }

  private CompletableFuture<Served> refreshUnderLease(
      TokenRequest request, KeyLayout.RequestKeys k, String owner) {
    // look again under the lease: another instance may have stored the key since we read it
    return redis
        .call(c -> c.mget(k.token(), k.epoch()))
        .handle(
            (values, error) -> {
              if (error != null) {
                return fallback(request);
              }
              TokenRecord record = read(request, k, values, false);
              if (record != null
                  && record.isFresh(clock.instant(), refreshFraction, safetyMargin)) {
                release(k, owner);
                return served(record.token(), TokenSource.REDIS);
              }
              return fetchAndShare(request, k, owner, epoch(values), 1);
            })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Served> fetchAndShare(
      TokenRequest request, KeyLayout.RequestKeys k, String owner, String epoch, int attempt) {
    return callDelegate(request)
        .handle(
            (token, error) -> {
              if (error != null) {
                // the delegate's error is the caller's; let another instance try at once
                release(k, owner);
                return CompletableFuture.<Served>failedFuture(unwrap(error));
              }
              Instant now = clock.instant();
              long ttl = token.timeLeft(now).minus(safetyMargin).toMillis();
              if (ttl <= 0) {
                // too short-lived to share: hand it out, store nothing
                release(k, owner);
                return served(token, TokenSource.DELEGATE_SHARED);
              }
              byte[] record = cipher.encrypt(new TokenRecord(token, now), k.token());
              return redis
                  .<Long>call(
                      c ->
                          c.eval(
                              Scripts.WRITE,
                              ScriptOutputType.INTEGER,
                              new String[] {k.token(), k.index(), k.epoch(), k.lease()},
                              record,
                              bytes(Long.toString(ttl)),
                              bytes(epoch),
                              bytes(Long.toString(Math.max(INDEX_TTL_MILLIS, ttl))),
                              bytes(owner),
                              bytes(layout.channel()),
                              bytes("f " + instanceId + " " + k.token())))
                  .handle(
                      (written, writeError) -> {
                        if (writeError != null) {
                          return served(token, TokenSource.DELEGATE_FALLBACK);
                        }
                        if (written != null && written == 1L) {
                          return served(token, TokenSource.DELEGATE_SHARED);
                        }
                        if (written != null && written == 2L) {
                          // our lease expired and another instance took over: valid, not shared
                          return served(token, TokenSource.DELEGATE_FALLBACK);
                        }
                        // an invalidation ran while we fetched: this token may predate a
                        // revocation; fetch once more, still under our lease
                        if (attempt < 2) {
                          return refetchAfterInvalidation(request, k, owner, attempt);
                        }
                        release(k, owner);
                        return served(token, TokenSource.DELEGATE_FALLBACK);
                      })
                  .thenCompose(Function.identity());
            })
        .thenCompose(Function.identity());
  }

  private CompletableFuture<Served> refetchAfterInvalidation(
      TokenRequest request, KeyLayout.RequestKeys k, String owner, int attempt) {
    return redis
        .call(c -> c.get(k.epoch()))
        .handle(
            (value, error) -> {
              if (error != null) {
                return fallback(request);
              }
              String epoch = value == null ? "0" : new String(value, StandardCharsets.UTF_8);
              return fetchAndShare(request, k, owner, epoch, attempt + 1);
            })
        .thenCompose(Function.identity());
  }

  private void release(KeyLayout.RequestKeys k, String owner) {
    // best effort: if this fails the lease expires by itself
    redis.<Long>call(
        c ->
            c.eval(
                Scripts.RELEASE, ScriptOutputType.INTEGER, new String[] {k.lease()}, bytes(owner)));
  }

  private CompletableFuture<Served> staleOrFallback(
      TokenRequest request, @Nullable TokenRecord stale) {
    if (stale != null && stale.isUsable(clock.instant(), safetyMargin)) {
      return served(stale.token(), TokenSource.REDIS_STALE);
    }
    return fallback(request);
  }

  private CompletableFuture<Served> fallback(TokenRequest request) {
    return callDelegate(request).thenApply(t -> new Served(t, TokenSource.DELEGATE_FALLBACK));
  }

  private CompletableFuture<AccessToken> callDelegate(TokenRequest request) {
    // off Lettuce's I/O threads: a delegate may block, and must not stall Redis for everyone
    CompletableFuture<AccessToken> call =
        CompletableFuture.supplyAsync(() -> delegate.getTokenAsync(request), executor)
            .thenCompose(Function.identity());
    // bounded, so that a delegate that never answers cannot hold this key's lookup forever
    return call.copy()
        .orTimeout(delegateTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            error ->
                CompletableFuture.failedFuture(
                    unwrap(error) instanceof java.util.concurrent.TimeoutException
                        ? new RequestTimeoutException(
                            "the delegate gave no token for "
                                + request.identity()
                                + " within "
                                + delegateTimeout,
                            AcsException.NO_STATUS,
                            null,
                            error)
                        : unwrap(error)));
  }

  private static CompletableFuture<Served> served(AccessToken token, TokenSource source) {
    return CompletableFuture.completedFuture(new Served(token, source));
  }

  /** {@return the record, or null for none or an unreadable one (reported once per lookup)} */
  private @Nullable TokenRecord read(
      TokenRequest request,
      KeyLayout.RequestKeys k,
      List<KeyValue<String, byte[]>> values,
      boolean report) {
    KeyValue<String, byte[]> value = values.get(0);
    if (!value.hasValue()) {
      return null;
    }
    TokenRecord record = cipher.decrypt(value.getValue(), k.token());
    if (record == null && report) {
      unreadableRecords.increment();
      notifyListener(l -> l.onUnreadableRecord(request));
    }
    return record;
  }

  private static String epoch(List<KeyValue<String, byte[]>> values) {
    KeyValue<String, byte[]> value = values.get(1);
    return value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : "0";
  }

  private @Nullable TokenRecord usable(@Nullable TokenRecord record, Instant now) {
    return record != null && record.isUsable(now, safetyMargin) ? record : null;
  }

  private void count(TokenSource source) {
    switch (source) {
      case REDIS:
        redisHits.increment();
        break;
      case REDIS_STALE:
        staleServed.increment();
        break;
      case DELEGATE_SHARED:
        sharedRefreshes.increment();
        break;
      case DELEGATE_FALLBACK:
        fallbacks.increment();
        break;
    }
  }

  // ----------------------------------------------------------------------------- invalidation

  /**
   * Registers a hook that hears every invalidation this instance sees, its own and those other
   * instances publish: wire the local cache's {@code invalidate} here. Hooks run on the tier's
   * {@link Builder#executor executor} for remote invalidations, on the invalidating thread for
   * local ones, and must not block.
   *
   * @param hook called with the identity whose tokens must no longer be served
   * @return this tier
   */
  public RedisTokenTier onInvalidation(Consumer<IdentityId> hook) {
    if (hook == null) {
      throw new IllegalArgumentException("invalidation hook must not be null");
    }
    invalidationHooks.add(hook);
    return this;
  }

  /**
   * Removes every shared token of an identity from Redis and tells every instance, this one
   * included (its {@link #onInvalidation hooks} run before this returns). Use it after a revocation
   * done outside this library, or when a downstream service rejected a token.
   *
   * <p>Never fails because of Redis: if Redis is unavailable, this instance's hooks still run and
   * the listener hears {@link RedisTierListener#onInvalidationNotShared}. Blocks for at most the
   * Redis timeout; the hooks run on the calling thread.
   *
   * @param identity whose tokens
   */
  public void invalidate(IdentityId identity) {
    requireIdentity(identity);
    shareInvalidation(identity).join(); // never exceptional; bounded by the Redis timeout
    afterInvalidation(identity);
  }

  /**
   * Removes every shared token of an identity and tells every instance, as {@link #invalidate};
   * never blocks. The future completes normally, after this instance's hooks ran on the {@link
   * Builder#executor executor}.
   *
   * @param identity whose tokens
   * @return a future completed when Redis was updated (or found unavailable) and the hooks ran
   */
  public CompletableFuture<Void> invalidateAsync(IdentityId identity) {
    requireIdentity(identity);
    return shareInvalidation(identity).thenRunAsync(() -> afterInvalidation(identity), executor);
  }

  private static void requireIdentity(@Nullable IdentityId identity) {
    if (identity == null) {
      throw new IllegalArgumentException("identity must not be null");
    }
  }

  /** Deletes the identity's records, moves its epoch and publishes; never fails. */
  private CompletableFuture<Void> shareInvalidation(IdentityId identity) {
    // moved first, so that a lookup in flight that read a record about to be deleted looks again
    bumpStamp(identity);
    KeyLayout.IdentityKeys k = layout.keys(identity);
    return redis
        .<Long>call(
            c ->
                c.eval(
                    Scripts.INVALIDATE,
                    ScriptOutputType.INTEGER,
                    new String[] {k.index(), k.epoch()},
                    bytes(Long.toString(INDEX_TTL_MILLIS)),
                    bytes(layout.channel()),
                    bytes("i " + instanceId + " " + identity.value())))
        .handle(
            (epoch, error) -> {
              if (error != null) {
                Throwable cause = unwrap(error);
                if (pendingInvalidations.size() < MAX_PENDING_INVALIDATIONS) {
                  pendingInvalidations.add(identity);
                }
                notifyListener(l -> l.onInvalidationNotShared(identity, cause));
              } else {
                invalidationsPublished.increment();
              }
              return (Void) null;
            });
  }

  private void replayPendingInvalidations() {
    for (IdentityId identity : List.copyOf(pendingInvalidations)) {
      pendingInvalidations.remove(identity);
      // fails again (and is kept again) if Redis went away once more
      shareInvalidation(identity);
    }
  }

  /**
   * Tells this instance, after Redis: a local cache that refills at once must not find the old
   * record. Runs on the caller's or the executor's thread, never on Lettuce's: a hook may block.
   */
  private void afterInvalidation(IdentityId identity) {
    bumpStamp(identity);
    runHooks(identity);
    notifyListener(l -> l.onInvalidation(identity, true));
  }

  /**
   * Removes the shared token of a request from Redis if it is the given one, e.g. a token that a
   * downstream service rejected with 401; a newer shared token is left alone. Call it before the
   * local cache's own compare-and-invalidate, so that the local cache's refresh does not find the
   * rejected token in Redis again. Never fails because of Redis; blocks for at most the Redis
   * timeout.
   *
   * @param request the key
   * @param rejected the token that was rejected
   * @return whether Redis held that token and it was removed
   */
  public boolean invalidateIfCurrent(TokenRequest request, AccessToken rejected) {
    return invalidateIfCurrentAsync(request, rejected).join();
  }

  /**
   * Removes the shared token of a request from Redis if it is the given one, as {@link
   * #invalidateIfCurrent}; never blocks.
   *
   * @param request the key
   * @param rejected the token that was rejected
   * @return a future of whether Redis held that token and it was removed; never exceptional
   */
  public CompletableFuture<Boolean> invalidateIfCurrentAsync(
      TokenRequest request, AccessToken rejected) {
    requireRequest(request);
    if (rejected == null) {
      throw new IllegalArgumentException("rejected token must not be null");
    }
    KeyLayout.RequestKeys k = layout.keys(request);
    return redis
        .call(c -> c.get(k.token()))
        .thenCompose(
            value -> {
              TokenRecord record = value == null ? null : cipher.decrypt(value, k.token());
              if (record == null || !record.token().equals(rejected)) {
                return CompletableFuture.completedFuture(false);
              }
              // compare-and-delete on the exact bytes read: a record stored since stays
              return redis
                  .<Long>call(
                      c ->
                          c.eval(
                              Scripts.DELETE_IF_EQUAL,
                              ScriptOutputType.INTEGER,
                              new String[] {k.token()},
                              value))
                  .thenApply(deleted -> deleted != null && deleted == 1L);
            })
        .exceptionally(error -> false);
  }

  /**
   * Returns identity operations that revoke and delete through the given ones and then {@link
   * #invalidate} the identity across the fleet, before the call returns; the other operations are
   * passed through. Invalidation follows the operation even when it failed (it may have taken
   * effect), and never adds an error of its own.
   *
   * @param operations the real identity operations, e.g. the SDK-backed client
   * @return the invalidating operations
   */
  public IdentityOperations identityOperations(IdentityOperations operations) {
    if (operations == null) {
      throw new IllegalArgumentException("identity operations must not be null");
    }
    return IdentityOperations.afterRevocation(
        operations,
        new IdentityOperations.Invalidation() {
          @Override
          public void invalidate(IdentityId identity) {
            RedisTokenTier.this.invalidate(identity);
          }

          @Override
          public CompletableFuture<Void> invalidateAsync(IdentityId identity) {
            return RedisTokenTier.this.invalidateAsync(identity);
          }
        });
  }

  private void onMessage(String message) {
    // "<kind> <instance> <subject>": f = a record was stored, i = an identity was invalidated
    String[] parts = message.split(" ", 3);
    if (parts.length != 3) {
      return;
    }
    if (parts[0].equals("f")) {
      CompletableFuture<Void> fill = fillSignals.remove(parts[2]);
      if (fill != null) {
        fill.complete(null);
      }
    } else if (parts[0].equals("i") && !parts[1].equals(instanceId)) {
      IdentityId identity;
      try {
        identity = IdentityId.of(parts[2]);
      } catch (IllegalArgumentException e) {
        return;
      }
      invalidationsReceived.increment();
      bumpStamp(identity);
      executor.execute(
          () -> {
            runHooks(identity);
            notifyListener(l -> l.onInvalidation(identity, false));
          });
    }
  }

  private void runHooks(IdentityId identity) {
    for (Consumer<IdentityId> hook : invalidationHooks) {
      try {
        hook.accept(identity);
      } catch (RuntimeException e) {
        // a hook's failure must not stop the others, nor the revocation that triggered it
      }
    }
  }

  private long stamp(IdentityId identity) {
    return invalidationStamps.get(stripe(identity));
  }

  private void bumpStamp(IdentityId identity) {
    invalidationStamps.incrementAndGet(stripe(identity));
  }

  private static int stripe(IdentityId identity) {
    return Math.floorMod(identity.hashCode(), STAMP_STRIPES);
  }

  // ------------------------------------------------------------------------------- lifecycle

  /**
   * Returns the counters of this tier since it was built and whether Redis is available now.
   *
   * @return a snapshot
   */
  public RedisTierStats stats() {
    return new RedisTierStats(
        redisHits.sum(),
        staleServed.sum(),
        sharedRefreshes.sum(),
        fallbacks.sum(),
        leaseWaits.sum(),
        redis.failures(),
        unreadableRecords.sum(),
        invalidationsPublished.sum(),
        invalidationsReceived.sum(),
        redis.available());
  }

  /** {@return whether Redis answered the last call of this tier} */
  public boolean isRedisAvailable() {
    return redis.available();
  }

  /**
   * Checks Redis now with a {@code PING}, which also ends a recheck interval early if it answers.
   *
   * @return a future of whether Redis answered within the timeout; never completes exceptionally
   */
  public CompletableFuture<Boolean> checkRedis() {
    return redis.callIgnoringBackoff(c -> c.ping()).handle((pong, error) -> error == null);
  }

  /**
   * Closes the Redis connections and stops the tier's threads; Lettuce's own resources too, unless
   * they were given. Lookups in flight complete from the delegate. The delegate is not closed.
   */
  @Override
  public void close() {
    redis.close();
    scheduler.shutdownNow();
    fillSignals.values().forEach(f -> f.complete(null));
  }

  /** {@return the key prefix, the key ids and the Redis state; never a token or a key} */
  @Override
  public String toString() {
    return "RedisTokenTier[keyPrefix="
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
      // a listener must not break a caller
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static RuntimeException toUnchecked(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof RuntimeException) {
      return (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new AcsException(
        "the delegate failed: " + t.getClass().getName(), AcsException.NO_STATUS, null, null, t);
  }

  // ---------------------------------------------------------------------------------- builder

  /**
   * Configures a {@link RedisTokenTier}. Every option is validated when set, with a message that
   * says what is allowed. Not thread-safe.
   */
  public static final class Builder {

    private @Nullable TokenProvider delegate;
    private @Nullable RedisURI redisUri;
    private @Nullable EncryptionKeys encryptionKeys;
    private @Nullable ClientResources clientResources;
    private @Nullable ClientOptions clientOptions;
    private String keyPrefix = "acs-token";
    private @Nullable String resource;
    private Duration leaseTime = Duration.ofSeconds(5);
    private Duration waitTimeout = Duration.ofSeconds(8);
    private Duration pollInterval = Duration.ofMillis(100);
    private Duration redisTimeout = Duration.ofMillis(250);
    private Duration redisRecheckInterval = Duration.ofSeconds(1);
    private Duration safetyMargin = Duration.ofMinutes(5);
    private Duration delegateTimeout = Duration.ofSeconds(30);
    private double refreshFraction = 0.4;
    private Clock clock = Clock.systemUTC();
    private Executor executor = ForkJoinPool.commonPool();
    private RedisTierListener listener = RedisTierListener.NONE;
    private @Nullable Consumer<IdentityId> onInvalidation;

    private Builder() {}

    /**
     * Sets the provider that issues tokens when Redis has none to share: the real backend, e.g. the
     * SDK-backed client. Required.
     *
     * @param delegate the backend
     * @return this builder
     */
    public Builder delegate(TokenProvider delegate) {
      if (delegate == null) {
        throw new IllegalArgumentException("delegate must not be null");
      }
      this.delegate = delegate;
      return this;
    }

    /**
     * Sets where Redis is and how to reach it: host and port, or Sentinel; TLS ({@code rediss://}
     * or {@code withSsl}), user name and password (ACL), database, client name. Required; the URI
     * is handed to Lettuce as it is.
     *
     * @param redisUri the Lettuce URI
     * @return this builder
     */
    public Builder redisUri(RedisURI redisUri) {
      if (redisUri == null) {
        throw new IllegalArgumentException("redisUri must not be null");
      }
      this.redisUri = redisUri;
      return this;
    }

    /**
     * Sets the AES keys that encrypt tokens at rest. Required; every instance of the fleet needs
     * the key the others write with among its read keys.
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder encryptionKeys(EncryptionKeys keys) {
      if (keys == null) {
        throw new IllegalArgumentException("encryptionKeys must not be null");
      }
      this.encryptionKeys = keys;
      return this;
    }

    /**
     * Sets Lettuce resources (threads, reconnect delay, DNS, metrics) to share with other clients;
     * the tier does not shut them down. Without them the tier makes its own, with 2 I/O threads and
     * a reconnect delay of at most 2 seconds. Given resources should keep a short reconnect delay,
     * or sharing resumes late after Redis restarts.
     *
     * @param resources the resources
     * @return this builder
     */
    public Builder clientResources(ClientResources resources) {
      if (resources == null) {
        throw new IllegalArgumentException("clientResources must not be null");
      }
      this.clientResources = resources;
      return this;
    }

    /**
     * Sets Lettuce client options, e.g. {@code SslOptions} (trust store, key store, protocols) and
     * {@code SocketOptions}. The tier keeps them except three it needs: auto-reconnect on, commands
     * rejected (not queued) while disconnected, and its {@link #redisTimeout} on every command.
     *
     * @param options the options
     * @return this builder
     */
    public Builder clientOptions(ClientOptions options) {
      if (options == null) {
        throw new IllegalArgumentException("clientOptions must not be null");
      }
      this.clientOptions = options;
      return this;
    }

    /**
     * Sets the prefix of every Redis key and of the pub/sub channel; instances that share tokens
     * use the same. Default {@code acs-token}.
     *
     * @param prefix 1 to 64 characters of {@code [A-Za-z0-9._-]}
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      if (prefix == null || !PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix must be 1 to 64 characters of [A-Za-z0-9._-]; got "
                + (prefix == null ? "null" : "'" + prefix + "'"));
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Names the ACS resource behind the delegate, to namespace keys by. Without it keys are
     * namespaced by the resource GUID in each ACS user id ({@code 8:acs:<resource>_...}), and ids
     * of other kinds share the namespace {@code _}.
     *
     * @param resource 1 to 128 characters of {@code [A-Za-z0-9._-]}, e.g. the resource's host
     * @return this builder
     */
    public Builder resource(String resource) {
      if (resource == null || !RESOURCE.matcher(resource).matches()) {
        throw new IllegalArgumentException(
            "resource must be 1 to 128 characters of [A-Za-z0-9._-]; got "
                + (resource == null ? "null" : "'" + resource + "'"));
      }
      this.resource = resource;
      return this;
    }

    /**
     * Sets how long a refresh lease lasts: the longest a crashed holder delays the fleet. Set it
     * above the delegate's usual time to issue a token. Default 5 seconds.
     *
     * @param leaseTime from 100 ms to 5 minutes
     * @return this builder
     */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = range("leaseTime", leaseTime, Duration.ofMillis(100), Duration.ofMinutes(5));
      return this;
    }

    /**
     * Sets how long an instance waits for another one's refresh before it asks the delegate itself
     * (or serves the still-valid stale token). Set it above {@link #leaseTime}, so that a waiter
     * can take over a crashed holder's lease, and below the local cache's call timeout (10 seconds
     * by default), so that the local cache does not give up on the tier first. Default 8 seconds.
     *
     * @param waitTimeout from 1 ms to 10 minutes
     * @return this builder
     */
    public Builder waitTimeout(Duration waitTimeout) {
      this.waitTimeout =
          range("waitTimeout", waitTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets how often a waiting instance looks for the shared result when no pub/sub notice came.
     * Default 100 ms.
     *
     * @param pollInterval from 1 ms to 10 seconds
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval =
          range("pollInterval", pollInterval, Duration.ofMillis(1), Duration.ofSeconds(10));
      return this;
    }

    /**
     * Sets the timeout of every Redis call; past it the call goes to the delegate. Default 250 ms.
     *
     * @param redisTimeout from 1 ms to 30 seconds
     * @return this builder
     */
    public Builder redisTimeout(Duration redisTimeout) {
      this.redisTimeout =
          range("redisTimeout", redisTimeout, Duration.ofMillis(1), Duration.ofSeconds(30));
      return this;
    }

    /**
     * Sets how long calls skip Redis after a Redis failure before one tries it again. Default 1
     * second.
     *
     * @param interval from 1 ms to 5 minutes
     * @return this builder
     */
    public Builder redisRecheckInterval(Duration interval) {
      this.redisRecheckInterval =
          range("redisRecheckInterval", interval, Duration.ofMillis(1), Duration.ofMinutes(5));
      return this;
    }

    /**
     * Sets how long before its expiry a token stops being shared: records expire in Redis this long
     * before the token, and no record is served inside it. Default 5 minutes.
     *
     * @param margin from zero to 30 minutes
     * @return this builder
     */
    public Builder safetyMargin(Duration margin) {
      this.safetyMargin = range("safetyMargin", margin, Duration.ZERO, Duration.ofMinutes(30));
      return this;
    }

    /**
     * Sets how long the tier waits for the delegate before it gives up on that call with a
     * retryable {@link RequestTimeoutException}; the local cache's own call timeout is usually
     * shorter. Default 30 seconds.
     *
     * @param timeout from 1 ms to 10 minutes
     * @return this builder
     */
    public Builder delegateTimeout(Duration timeout) {
      this.delegateTimeout =
          range("delegateTimeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets the shared refresh point, as the fraction of a token's lifetime (from when it was
     * fetched to its expiry) after which the fleet refreshes it. Keep it at or below the local
     * cache's refresh point (the local cache refreshes at half-life less jitter), so that the first
     * instance to refresh locally finds the shared token due and refreshes it for all. Default 0.4.
     *
     * @param fraction above 0 and below 1
     * @return this builder
     */
    public Builder refreshFraction(double fraction) {
      if (!(fraction > 0 && fraction < 1)) {
        throw new IllegalArgumentException(
            "refreshFraction must be above 0 and below 1; got " + fraction);
      }
      this.refreshFraction = fraction;
      return this;
    }

    /**
     * Sets the clock that judges token freshness and expiry; tests pass a fake one. Leases and
     * waits run on Redis's and the JVM's own time. Default {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets the executor that calls the delegate, runs remote invalidation hooks and completes the
     * futures of {@link RedisTokenTier#getTokenAsync}; never Lettuce's I/O threads. Default the
     * common fork-join pool.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      if (executor == null) {
        throw new IllegalArgumentException("executor must not be null");
      }
      this.executor = executor;
      return this;
    }

    /**
     * Sets the listener for metrics and logs. Default none.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(RedisTierListener listener) {
      if (listener == null) {
        throw new IllegalArgumentException("listener must not be null");
      }
      this.listener = listener;
      return this;
    }

    /**
     * Sets a hook that hears every invalidation this instance sees, its own and those other
     * instances publish: wire the local cache's {@code invalidate(IdentityId)} here. More hooks can
     * be added with {@link RedisTokenTier#onInvalidation}.
     *
     * @param hook called with the identity whose tokens must no longer be served
     * @return this builder
     */
    public Builder onInvalidation(Consumer<IdentityId> hook) {
      if (hook == null) {
        throw new IllegalArgumentException("onInvalidation hook must not be null");
      }
      this.onInvalidation = hook;
      return this;
    }

    /**
     * Builds the tier and starts connecting to Redis in the background; returns at once, also when
     * Redis is unreachable (calls then go to the delegate until it answers).
     *
     * @return the tier
     * @throws IllegalStateException if the delegate, the Redis URI or the encryption keys are
     *     missing
     */
    public RedisTokenTier build() {
      if (delegate == null) {
        throw new IllegalStateException("a delegate is required: call delegate(TokenProvider)");
      }
      RedisURI uri = redisUri;
      if (uri == null) {
        throw new IllegalStateException("a Redis URI is required: call redisUri(RedisURI)");
      }
      EncryptionKeys k = encryptionKeys;
      if (k == null) {
        throw new IllegalStateException(
            "encryption keys are required: call encryptionKeys(EncryptionKeys)");
      }
      return new RedisTokenTier(this, uri, k);
    }

    private static Duration range(String name, Duration value, Duration min, Duration max) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name + " must be from " + min + " to " + max + "; got " + value);
      }
      return value;
    }
  }
}
