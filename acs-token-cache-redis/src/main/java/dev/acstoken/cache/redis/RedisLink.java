package dev.acstoken.cache.redis;

import dev.acstoken.core.Futures;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier's connections to Redis: one command connection and one pub/sub connection of one Lettuce
 * client, one backstop timeout on every command, and whether Redis is reachable. The client is a
 * {@link RedisClient} for a single server or a Sentinel-managed primary (Lettuce asks the sentinels
 * for the primary on every reconnect), or a {@link RedisClusterClient} for Redis Cluster (commands
 * go to the node of their key's slot, following MOVED and ASK redirections; the pub/sub connection
 * subscribes on one node, and Redis Cluster forwards every {@code PUBLISH} to every node).
 *
 * <p>Connections are opened in the background and never block a caller. A command fails at once
 * only while there is no connection (before the first one, or while Lettuce reconnects: commands
 * are rejected, not queued); a slow or failed command never makes later ones skip Redis. While the
 * connection is down a probe pings Redis every {@link #PROBE_INTERVAL}, so that its return is
 * noticed without waiting for a caller. Futures complete on the given executor, never on Lettuce's
 * I/O threads. Thread-safe.
 */
final class RedisLink implements AutoCloseable {

  /**
   * How often a cluster command that met a slot in migration ({@code TRYAGAIN}, or {@code MOVED} /
   * {@code ASK} after Lettuce's own redirections) is sent at most; 25 times 20 ms stay within the
   * cache's default shared-tier timeout (1 s).
   */
  static final int TRY_AGAIN_ATTEMPTS = 25;

  /** How long after a {@code TRYAGAIN} (or MOVED, ASK) the command is sent again. */
  static final Duration TRY_AGAIN_DELAY = Duration.ofMillis(20);

  /** How often a link that is down pings or reconnects. */
  static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** What the link reports to the tier; called on Lettuce's or the executor's threads. */
  interface Events {
    void available();

    void unavailable(Throwable cause);

    void message(String message);

    /**
     * A command connection is open and about to serve calls; a command sent on it now goes before
     * any call of the tier's. Must not block.
     */
    void connected(RedisClusterAsyncCommands<String, byte[]> commands);

    /** The pub/sub connection is subscribed (again): messages from now on arrive. */
    void subscribed();

    /** The pub/sub connection was lost: messages may be missed until {@link #subscribed()}. */
    void subscriptionLost();
  }

  /** The command connection and its commands, of either kind of client. */
  private record Data(
      StatefulConnection<String, byte[]> connection,
      RedisClusterAsyncCommands<String, byte[]> commands) {}

  private final AbstractRedisClient client;
  private final @Nullable RedisClusterClient clusterClient;
  private final ClientResources resources;
  private final boolean ownsResources;
  private final RedisURI uri;
  private final Executor executor;
  private final String channel;
  private final Events events;
  private final LongAdder failures = new LongAdder();
  // commands sent whose futures have not finished completing (their callers' continuations
  // included): lets a simulation on a manual clock wait for Redis before it moves time
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean connectingData = new AtomicBoolean();
  private final AtomicBoolean connectingPubSub = new AtomicBoolean();
  private final AtomicBoolean probing = new AtomicBoolean();
  private final Object stateLock = new Object();

  private volatile @Nullable Data data;

  /**
   * Completed once the first attempt to open the command connection has ended, either way: until
   * then a command waits for it instead of failing, so that a fleet whose instances read right
   * after building their tiers still shares one ACS call per key.
   */
  private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();

  private volatile boolean available;
  private volatile boolean closed;

  RedisLink(
      RedisURI uri,
      List<RedisURI> clusterSeeds,
      @Nullable ClientResources resources,
      @Nullable ClientOptions options,
      Duration commandTimeout,
      Executor executor,
      String channel,
      Events events) {
    this.uri = uri;
    this.executor = executor;
    this.channel = channel;
    this.events = events;
    if (resources == null) {
      // our own resources: few threads, and a reconnect delay capped at 1 s so that sharing
      // resumes soon after Redis is back (Lettuce's default backs off to 30 s)
      this.resources =
          DefaultClientResources.builder()
              .ioThreadPoolSize(2)
              .computationThreadPoolSize(1)
              .reconnectDelay(
                  Delay.exponential(
                      Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
              .build();
      this.ownsResources = true;
    } else {
      this.resources = resources;
      this.ownsResources = false;
    }
    ClientOptions base =
        options != null
            ? options
            : ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .build();
    if (clusterSeeds.isEmpty()) {
      RedisClient single = RedisClient.create(this.resources, uri);
      // whatever the user configured: reconnect by itself, never queue a command while
      // disconnected (a queued SET NX would take a lease long after its caller gave up: fail fast
      // instead, and the cache goes to the backend), and one backstop timeout on every command
      single.setOptions(
          base.mutate()
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
              .build());
      this.client = single;
      this.clusterClient = null;
    } else {
      RedisClusterClient cluster = RedisClusterClient.create(this.resources, clusterSeeds);
      ClusterClientOptions.Builder clusterOptions =
          base instanceof ClusterClientOptions given
              ? given.mutate()
              : ClusterClientOptions.builder(base)
                  // Lettuce 7 refreshes the slot map at once on a MOVED or ASK reply (a slot
                  // migrating or moved) or a node that keeps failing; a periodic refresh also
                  // notices nodes added without a redirection
                  .topologyRefreshOptions(
                      ClusterTopologyRefreshOptions.builder()
                          .enablePeriodicRefresh(Duration.ofSeconds(30))
                          .build());
      // the same three as for a single server, on the connection to every node
      cluster.setOptions(
          clusterOptions
              .autoReconnect(true)
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
              .build());
      this.client = cluster;
      this.clusterClient = cluster;
    }
  }

  /** Starts connecting in the background; returns at once. */
  void start() {
    connectData();
    connectPubSub();
  }

  /**
   * Runs a command on the command connection; fails at once while there is no connection. The
   * returned future completes on the executor, failed with a {@link RedisTierException} for any
   * Redis failure.
   */
  <T> CompletableFuture<T> call(
      Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    return call(command, 1);
  }

  private <T> CompletableFuture<T> call(
      Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command, int attempt) {
    CompletableFuture<T> once = callOnce(command);
    if (clusterClient == null) {
      return once;
    }
    return once.exceptionallyCompose(
        error -> {
          Throwable cause = Futures.unwrap(error);
          if (attempt >= TRY_AGAIN_ATTEMPTS || !isSlotMoving(cause)) {
            return CompletableFuture.failedFuture(cause);
          }
          // a slot in migration: its source holds some of the script's keys and the target the
          // others (TRYAGAIN), or the nodes do not agree yet on its owner and Lettuce ran out of
          // redirections (MOVED, ASK). The command did not run; it will once the slot has moved,
          // within milliseconds
          CompletableFuture<T> retried = new CompletableFuture<>();
          try {
            CompletableFuture.delayedExecutor(
                    TRY_AGAIN_DELAY.toMillis(), TimeUnit.MILLISECONDS, executor)
                .execute(
                    () ->
                        call(command, attempt + 1)
                            .whenComplete(
                                (value, again) -> {
                                  if (again == null) {
                                    retried.complete(value);
                                  } else {
                                    retried.completeExceptionally(Futures.unwrap(again));
                                  }
                                }));
          } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(cause);
          }
          return retried;
        });
  }

  private static boolean isSlotMoving(Throwable error) {
    Throwable cause =
        error instanceof RedisTierException && error.getCause() != null ? error.getCause() : error;
    String message = cause.getMessage();
    return cause instanceof RedisCommandExecutionException
        && message != null
        && (message.startsWith("TRYAGAIN")
            || message.startsWith("MOVED ")
            || message.startsWith("ASK "));
  }

  private <T> CompletableFuture<T> callOnce(
      Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    Data connection = data;
    if (closed) {
      return CompletableFuture.failedFuture(new RedisTierException("the tier is closed", null));
    }
    if (connection == null) {
      if (!firstAttempt.isDone()) {
        // just built: wait for the first connection (bounded by Lettuce's connect timeout and by
        // the cache's shared-tier timeout), counted in flight like a command
        inFlight.incrementAndGet();
        CompletableFuture<T> afterConnect =
            firstAttempt.thenComposeAsync(v -> callOnce(command), executor);
        afterConnect.whenComplete((v, e) -> inFlight.decrementAndGet());
        return afterConnect;
      }
      return CompletableFuture.failedFuture(
          new RedisTierException("Redis is not connected (yet)", null));
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    RedisFuture<T> pending;
    try {
      pending = command.apply(connection.commands());
    } catch (RuntimeException e) {
      failed(connection, e);
      out.completeExceptionally(new RedisTierException(describe(e), e));
      return out;
    }
    inFlight.incrementAndGet();
    pending.whenComplete(
        (value, error) -> {
          if (error == null) {
            markUp();
          } else {
            failed(connection, error);
          }
          // off Lettuce's I/O thread: what the caller chains on the future may take a while
          complete(
              () -> {
                try {
                  if (error == null) {
                    out.complete(value);
                  } else {
                    Throwable cause = Futures.unwrap(error);
                    out.completeExceptionally(new RedisTierException(describe(cause), cause));
                  }
                } finally {
                  inFlight.decrementAndGet();
                }
              });
        });
    return out;
  }

  /** Pings Redis; a future of whether it answered, never exceptional. */
  CompletableFuture<Boolean> ping() {
    return call(RedisClusterAsyncCommands::ping).handle((pong, error) -> error == null);
  }

  /** Runs a task on the executor, or here if the executor refuses it. */
  void complete(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  boolean available() {
    return available && data != null;
  }

  int inFlight() {
    return inFlight.get();
  }

  long failures() {
    return failures.sum();
  }

  private void failed(Data connection, Throwable error) {
    failures.increment();
    Throwable cause = Futures.unwrap(error);
    if (!connection.connection().isOpen()) {
      markDown(cause);
    } else {
      // a slow or failing command on a live connection says nothing about the next one
      log.debug("Redis command failed: {}", describe(cause));
    }
  }

  private void markUp() {
    if (available) {
      return;
    }
    synchronized (stateLock) {
      if (available || closed) {
        return;
      }
      available = true;
    }
    log.info("Redis tier available; tokens are shared again");
    events.available();
  }

  private void markDown(Throwable cause) {
    boolean wasAvailable;
    synchronized (stateLock) {
      wasAvailable = available;
      available = false;
    }
    if (wasAvailable && !closed) {
      log.warn(
          "Redis tier unavailable; the cache goes to the backend until it answers again: {}",
          describe(cause));
      events.unavailable(cause);
    }
    probeLater();
  }

  /** While down: ping every probe interval until Redis answers (which marks the link up). */
  private void probeLater() {
    if (closed || !probing.compareAndSet(false, true)) {
      return;
    }
    schedule(
        () ->
            ping()
                .thenAccept(
                    up -> {
                      probing.set(false);
                      if (!up && data != null) {
                        probeLater();
                      }
                    }));
  }

  private void connectData() {
    if (closed || !connectingData.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<Data> connecting =
        clusterClient != null
            ? loadTopology(clusterClient)
                .thenCompose(v -> clusterClient.connectAsync(CODEC))
                .thenApply(c -> new Data(c, c.async()))
            : ((RedisClient) client)
                .connectAsync(CODEC, uri)
                .toCompletableFuture()
                .thenApply(c -> new Data(c, c.async()));
    connecting.whenComplete(
        (connection, error) -> {
          connectingData.set(false);
          if (error != null) {
            failures.increment();
            markDown(Futures.unwrap(error));
            log.debug("Redis connection failed: {}", describe(Futures.unwrap(error)));
            firstAttempt.complete(null);
            schedule(this::connectData);
          } else if (closed) {
            firstAttempt.complete(null);
            connection.connection().closeAsync();
          } else {
            connection
                .connection()
                .addListener(
                    new RedisConnectionStateListener() {
                      @Override
                      public void onRedisConnected(
                          RedisChannelHandler<?, ?> handler, SocketAddress address) {
                        probeLater();
                      }

                      @Override
                      public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                        markDown(new RedisTierException("connection lost", null));
                      }
                    });
            events.connected(connection.commands());
            data = connection;
            firstAttempt.complete(null);
            markUp();
          }
        });
  }

  private void connectPubSub() {
    if (closed || !connectingPubSub.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>> connecting =
        clusterClient != null
            ? loadTopology(clusterClient)
                .thenCompose(v -> clusterClient.connectPubSubAsync(StringCodec.UTF8))
            : ((RedisClient) client)
                .connectPubSubAsync(StringCodec.UTF8, uri)
                .toCompletableFuture();
    connecting
        .thenCompose(
            connection -> {
              connection.addListener(
                  new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                      events.message(message);
                    }

                    @Override
                    public void subscribed(String channel, long count) {
                      // also after every resubscription that follows a reconnect
                      events.subscribed();
                    }
                  });
              connection.addListener(
                  new RedisConnectionStateListener() {
                    @Override
                    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                      if (!closed) {
                        events.subscriptionLost();
                      }
                    }
                  });
              // once subscribed, Lettuce resubscribes by itself after every reconnect
              return connection
                  .async()
                  .subscribe(channel)
                  .toCompletableFuture()
                  .handle(
                      (ok, error) -> {
                        if (error != null) {
                          connection.closeAsync();
                          throw new RedisTierException("subscribe failed", error);
                        }
                        return connection;
                      });
            })
        .whenComplete(
            (connection, error) -> {
              connectingPubSub.set(false);
              if (error != null) {
                log.debug("Redis pub/sub connection failed: {}", describe(Futures.unwrap(error)));
                schedule(this::connectPubSub);
              } else if (closed) {
                connection.closeAsync();
              }
            });
  }

  /**
   * Loads the slot map from the seeds: Lettuce's {@code connectAsync} of a cluster client does not
   * (only its blocking {@code connect} does) and fails with "Partitions not initialized".
   */
  private static CompletableFuture<Void> loadTopology(RedisClusterClient cluster) {
    return cluster.refreshPartitionsAsync().toCompletableFuture();
  }

  /** Runs a task after the probe interval on the executor, unless the link is closed. */
  void schedule(Runnable task) {
    if (closed) {
      return;
    }
    try {
      // the JDK's shared delay thread hands the task to our executor: no thread of our own
      CompletableFuture.delayedExecutor(PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS, executor)
          .execute(task);
    } catch (RejectedExecutionException e) {
      // shutting down: nothing to retry
    }
  }

  @Override
  public void close() {
    synchronized (stateLock) {
      closed = true;
      available = false;
    }
    data = null;
    firstAttempt.complete(null); // a command still waiting for the first connection fails now
    // shutting the client down closes its connections
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (ownsResources) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Describes a Redis failure for a log line: its type and message, which hold no value. */
  static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
