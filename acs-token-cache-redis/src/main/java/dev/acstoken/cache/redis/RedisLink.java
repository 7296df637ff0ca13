package dev.acstoken.cache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier's connections to Redis: one command connection and one pub/sub connection of one Lettuce
 * client, a timeout on every call, and the availability state.
 *
 * <p>Connections are opened in the background and never block a caller: until the command
 * connection is up, and for a recheck interval after any failed call, {@link #call} fails at once
 * so that callers go to the delegate. While Redis is unavailable a probe pings it every recheck
 * interval, so that it is seen back without waiting for a caller. Lettuce reconnects by itself (and
 * resubscribes); while it is disconnected commands are rejected at once rather than queued.
 * Thread-safe.
 */
final class RedisLink implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /** What the link reports to the tier. */
  interface Events {
    void available();

    void unavailable(Throwable cause);

    void message(String message);
  }

  private final RedisClient client;
  private final @Nullable ClientResources ownedResources;
  private final RedisURI uri;
  private final Duration timeout;
  private final Duration recheckInterval;
  private final ScheduledExecutorService scheduler;
  private final String channel;
  private final Events events;
  private final LongAdder failures = new LongAdder();
  private final AtomicBoolean connectingData = new AtomicBoolean();
  private final AtomicBoolean connectingPubSub = new AtomicBoolean();
  private final Object stateLock = new Object();

  private volatile @Nullable StatefulRedisConnection<String, byte[]> data;
  private volatile boolean available;
  private volatile long downUntilNanos;
  private volatile boolean closed;

  RedisLink(
      RedisURI uri,
      @Nullable ClientResources resources,
      @Nullable ClientOptions options,
      Duration timeout,
      Duration recheckInterval,
      ScheduledExecutorService scheduler,
      String channel,
      Events events) {
    this.uri = uri;
    this.timeout = timeout;
    this.recheckInterval = recheckInterval;
    this.scheduler = scheduler;
    this.channel = channel;
    this.events = events;
    this.downUntilNanos = System.nanoTime();
    if (resources == null) {
      // our own resources: few threads, and a reconnect delay capped at 2 s so that sharing
      // resumes soon after Redis is back (Lettuce's default backs off to 30 s)
      this.ownedResources =
          DefaultClientResources.builder()
              .ioThreadPoolSize(2)
              .computationThreadPoolSize(2)
              .reconnectDelay(
                  Delay.exponential(
                      Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
              .build();
      this.client = RedisClient.create(ownedResources, uri);
    } else {
      this.ownedResources = null;
      this.client = RedisClient.create(resources, uri);
    }
    ClientOptions.Builder opts;
    if (options == null) {
      Duration connect = timeout.multipliedBy(4);
      opts =
          ClientOptions.builder()
              .socketOptions(
                  SocketOptions.builder()
                      .connectTimeout(
                          connect.compareTo(Duration.ofSeconds(1)) < 0
                              ? Duration.ofSeconds(1)
                              : connect)
                      .build());
    } else {
      opts = options.mutate();
    }
    // whatever the user configured: reconnect by itself, never queue a command while
    // disconnected (a queued SET NX would take a lease long after its caller gave up), and time
    // every command out
    client.setOptions(
        opts.autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build());
  }

  /** Starts connecting in the background; returns at once. */
  void start() {
    connectData();
    connectPubSub();
  }

  /**
   * Runs a command on the command connection with the call timeout; fails at once while Redis is
   * unavailable.
   */
  <T> CompletableFuture<T> call(
      Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    return call(command, true);
  }

  /** Runs a command as {@link #call}, also inside a recheck interval: a probe. */
  <T> CompletableFuture<T> callIgnoringBackoff(
      Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    return call(command, false);
  }

  private <T> CompletableFuture<T> call(
      Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command,
      boolean respectBackoff) {
    StatefulRedisConnection<String, byte[]> connection = data;
    if (closed) {
      return CompletableFuture.failedFuture(new RedisUnavailableException("the tier is closed"));
    }
    if (connection == null) {
      return CompletableFuture.failedFuture(new RedisUnavailableException("not connected yet"));
    }
    if (respectBackoff && !usable()) {
      return CompletableFuture.failedFuture(
          new RedisUnavailableException("unavailable; rechecked every " + recheckInterval));
    }
    CompletableFuture<T> result;
    try {
      // a copy: the timeout must not complete Lettuce's own command future
      result = command.apply(connection.async()).toCompletableFuture().copy();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                markUp();
              } else {
                markDown(error);
              }
            });
  }

  /** {@return whether calls go to Redis now: it answered last time, or the recheck time came} */
  boolean usable() {
    return available || System.nanoTime() - downUntilNanos >= 0;
  }

  boolean available() {
    return available && data != null;
  }

  long failures() {
    return failures.sum();
  }

  private void markUp() {
    if (available) {
      return;
    }
    synchronized (stateLock) {
      if (available) {
        return;
      }
      available = true;
    }
    log.info("Redis tier available; tokens are shared again");
    events.available();
  }

  private void markDown(Throwable error) {
    failures.increment();
    Throwable cause = unwrap(error);
    boolean wasAvailable;
    synchronized (stateLock) {
      downUntilNanos = System.nanoTime() + recheckInterval.toNanos();
      wasAvailable = available;
      available = false;
    }
    if (wasAvailable) {
      // no caller may come for a while: a probe notices by itself when Redis answers again
      retryLater(this::probe);
      log.warn(
          "Redis tier unavailable, tokens come from the delegate until it answers again: {}",
          describe(cause));
      events.unavailable(cause);
    } else {
      log.debug("Redis call failed while unavailable: {}", describe(cause));
    }
  }

  private void probe() {
    if (closed || available || data == null) {
      return;
    }
    call(c -> c.ping(), false)
        .whenComplete(
            (pong, error) -> {
              if (error != null) {
                retryLater(this::probe);
              }
            });
  }

  private void connectData() {
    if (closed || !connectingData.compareAndSet(false, true)) {
      return;
    }
    client
        .connectAsync(CODEC, uri)
        .whenComplete(
            (connection, error) -> {
              connectingData.set(false);
              if (error != null) {
                markDown(error);
                retryLater(this::connectData);
              } else if (closed) {
                connection.closeAsync();
              } else {
                data = connection;
                markUp();
              }
            });
  }

  private void connectPubSub() {
    if (closed || !connectingPubSub.compareAndSet(false, true)) {
      return;
    }
    client
        .connectPubSubAsync(StringCodec.UTF8, uri)
        .thenCompose(
            connection -> {
              connection.addListener(
                  new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                      events.message(message);
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
                          throw new RedisUnavailableException("subscribe failed", error);
                        }
                        return connection;
                      });
            })
        .whenComplete(
            (connection, error) -> {
              connectingPubSub.set(false);
              if (error != null) {
                log.debug("Redis pub/sub connection failed: {}", describe(unwrap(error)));
                retryLater(this::connectPubSub);
              } else if (closed) {
                connection.closeAsync();
              }
            });
  }

  private void retryLater(Runnable connect) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(connect, recheckInterval.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing: nothing to retry
    }
  }

  @Override
  public void close() {
    closed = true;
    data = null;
    // shutting the client down closes its connections
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (ownedResources != null) {
      ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Describes a Redis failure for a log line: its type and message, which hold no value. */
  static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
