package dev.acstoken.cache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Configures a {@link RedisSharedTier}. Every option is validated when set, with a message that
 * names it, says what is allowed and shows the value (never a secret). Not thread-safe.
 */
public final class RedisSharedTierBuilder {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  @Nullable RedisURI redisUri;
  List<RedisURI> clusterSeeds = List.of();
  @Nullable EncryptionKeys encryptionKeys;
  @Nullable ClientResources clientResources;
  @Nullable ClientOptions clientOptions;
  String keyPrefix = "acs-token";
  @Nullable String resource;
  Duration commandTimeout = Duration.ofSeconds(2);
  @Nullable Executor executor;
  RedisTierListener listener = RedisTierListener.NONE;

  RedisSharedTierBuilder() {}

  /**
   * Sets where Redis is and how to reach it: host and port, or Sentinel; TLS ({@code rediss://} or
   * {@code withSsl}), user name and password (ACL), database, client name. Required unless {@link
   * #redisCluster(List)} is set, which it replaces; handed to Lettuce as it is. With Sentinel,
   * Lettuce asks the sentinels for the primary on every (re)connect, so the tier follows a
   * failover.
   *
   * @param redisUri the Lettuce URI
   * @return this builder
   */
  public RedisSharedTierBuilder redisUri(RedisURI redisUri) {
    requireNonNull("redisUri", redisUri);
    this.redisUri = redisUri;
    this.clusterSeeds = List.of();
    return this;
  }

  /**
   * Sets where Redis is, as a URI string ({@code redis://}, {@code rediss://}, {@code
   * redis-sentinel://}), parsed by Lettuce; replaces {@link #redisCluster(String...)}.
   *
   * @param redisUri the URI; may hold a password, which no message shows
   * @return this builder
   * @throws IllegalArgumentException if Lettuce cannot parse it
   */
  public RedisSharedTierBuilder redisUri(String redisUri) {
    requireNonNull("redisUri", redisUri);
    try {
      this.redisUri = RedisURI.create(redisUri);
      this.clusterSeeds = List.of();
    } catch (RuntimeException e) {
      // the URI may hold a password: neither it nor the parser's message is repeated
      throw new IllegalArgumentException(
          "redisUri must be a Redis URI such as redis://host:6379 or rediss://host:6380;"
              + " got one Lettuce cannot parse (not shown: it may hold a password)",
          null);
    }
    return this;
  }

  /**
   * Sets the seed nodes of a Redis Cluster and makes the tier use Lettuce's cluster client:
   * commands go to the node of their key's slot and follow MOVED and ASK redirections while slots
   * migrate, and the slot map is refreshed when a redirection or a failing node says it changed.
   * One seed that answers is enough (e.g. the one endpoint of Azure Cache for Redis or ElastiCache
   * in cluster mode); give several so that the tier connects while one is down. Every key of one
   * identity carries one hash tag, so each script touches one slot. Replaces {@link #redisUri}.
   *
   * @param seeds {@code redis://} or {@code rediss://} URIs of cluster nodes, at least one; TLS,
   *     user and password are taken from each
   * @return this builder
   * @throws IllegalArgumentException if there is none, one Lettuce cannot parse, or a Sentinel URI
   */
  public RedisSharedTierBuilder redisCluster(String... seeds) {
    if (seeds == null || seeds.length == 0) {
      throw new IllegalArgumentException(
          "redisCluster must name at least one node such as redis://host:6379; got none");
    }
    List<RedisURI> uris = new ArrayList<>();
    for (String seed : seeds) {
      requireNonNull("redisCluster", seed);
      try {
        uris.add(RedisURI.create(seed));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "redisCluster must be Redis URIs such as redis://host:6379 or rediss://host:6380;"
                + " got one Lettuce cannot parse (not shown: it may hold a password)",
            null);
      }
    }
    return redisCluster(uris);
  }

  /**
   * Sets the seed nodes of a Redis Cluster as Lettuce URIs; see {@link #redisCluster(String...)}.
   *
   * @param seeds the seed nodes, at least one, none of them a Sentinel URI
   * @return this builder
   * @throws IllegalArgumentException if there is none or one is a Sentinel URI
   */
  public RedisSharedTierBuilder redisCluster(List<RedisURI> seeds) {
    if (seeds == null || seeds.isEmpty()) {
      throw new IllegalArgumentException(
          "redisCluster must name at least one node such as redis://host:6379; got none");
    }
    for (RedisURI seed : seeds) {
      requireNonNull("redisCluster", seed);
      if (!seed.getSentinels().isEmpty()) {
        throw new IllegalArgumentException(
            "redisCluster must be cluster nodes (redis:// or rediss://), not Sentinel"
                + " (redis-sentinel://: use redisUri); got a Sentinel URI for master "
                + seed.getSentinelMasterId());
      }
    }
    this.clusterSeeds = List.copyOf(seeds);
    this.redisUri = null;
    return this;
  }

  /**
   * Sets the AES keys that encrypt tokens at rest. Required; every instance of the fleet needs the
   * key the others write with among its read keys.
   *
   * @param keys the keys
   * @return this builder
   */
  public RedisSharedTierBuilder encryptionKeys(EncryptionKeys keys) {
    requireNonNull("encryptionKeys", keys);
    this.encryptionKeys = keys;
    return this;
  }

  /**
   * Sets Lettuce resources (threads, reconnect delay, DNS, metrics) to share with other clients;
   * the tier does not shut them down. Without them the tier makes its own, with 2 I/O threads and a
   * reconnect delay of at most 1 second. Given resources should keep a short reconnect delay, or
   * sharing resumes late after Redis restarts.
   *
   * @param resources the resources
   * @return this builder
   */
  public RedisSharedTierBuilder clientResources(ClientResources resources) {
    requireNonNull("clientResources", resources);
    this.clientResources = resources;
    return this;
  }

  /**
   * Sets Lettuce client options, e.g. {@code SslOptions} (trust store, key store, protocols) and
   * {@code SocketOptions}. The tier keeps them except three it needs: auto-reconnect on, commands
   * rejected (not queued) while disconnected, and its {@link #commandTimeout} on every command.
   *
   * @param options the options
   * @return this builder
   */
  public RedisSharedTierBuilder clientOptions(ClientOptions options) {
    requireNonNull("clientOptions", options);
    this.clientOptions = options;
    return this;
  }

  /**
   * Sets the prefix of every Redis key and of the pub/sub channel; instances that share tokens use
   * the same. Default {@code acs-token}.
   *
   * @param prefix 1 to 64 characters of {@code [A-Za-z0-9._-]}
   * @return this builder
   */
  public RedisSharedTierBuilder keyPrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "keyPrefix must be 1 to 64 characters of [A-Za-z0-9._-]; got "
              + (prefix == null ? "null" : "'" + prefix + "'"));
    }
    this.keyPrefix = prefix;
    return this;
  }

  /**
   * Names the ACS resource behind the backend, to namespace keys by. Without it keys are namespaced
   * by the resource GUID in each ACS user id ({@code 8:acs:<resource>_...}), and ids of other kinds
   * share the namespace {@code _}.
   *
   * @param resource 1 to 128 characters of {@code [A-Za-z0-9._-]}, e.g. the resource's host
   * @return this builder
   */
  public RedisSharedTierBuilder resource(String resource) {
    if (resource == null || !RESOURCE.matcher(resource).matches()) {
      throw new IllegalArgumentException(
          "resource must be 1 to 128 characters of [A-Za-z0-9._-]; got "
              + (resource == null ? "null" : "'" + resource + "'"));
    }
    this.resource = resource;
    return this;
  }

  /**
   * Sets the backstop timeout of every Redis command (and of connecting, unless {@link
   * #clientOptions} set one). The cache's own per-call timeout is shorter and decides when a caller
   * stops waiting for the tier; this one only bounds what Lettuce keeps in flight. A slow command
   * never makes later ones skip Redis. Default 2 seconds.
   *
   * @param timeout from 10 ms to 1 minute
   * @return this builder
   */
  public RedisSharedTierBuilder commandTimeout(Duration timeout) {
    requireNonNull("commandTimeout", timeout);
    if (timeout.compareTo(Duration.ofMillis(10)) < 0
        || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "commandTimeout must be from PT0.01S to PT1M; got " + timeout);
    }
    this.commandTimeout = timeout;
    return this;
  }

  /**
   * Sets the executor that completes the tier's futures and runs its subscribers, so that no
   * continuation runs on Lettuce's I/O threads. Default a pool of daemon threads shared by every
   * tier of the process, made on demand (at most 32) and let go when idle.
   *
   * @param executor the executor; the tier does not shut it down
   * @return this builder
   */
  public RedisSharedTierBuilder executor(Executor executor) {
    requireNonNull("executor", executor);
    this.executor = executor;
    return this;
  }

  /**
   * Sets the listener for metrics and logs. Default none.
   *
   * @param listener the listener
   * @return this builder
   */
  public RedisSharedTierBuilder listener(RedisTierListener listener) {
    requireNonNull("listener", listener);
    this.listener = listener;
    return this;
  }

  /**
   * Builds the tier and starts connecting to Redis in the background; returns at once, also when
   * Redis is unreachable (calls then fail at once until it answers, and the cache goes to the
   * backend).
   *
   * @return the tier
   * @throws IllegalStateException if the Redis URI (or cluster seeds) or the encryption keys are
   *     missing
   */
  public RedisSharedTier build() {
    RedisURI uri = clusterSeeds.isEmpty() ? redisUri : clusterSeeds.get(0);
    if (uri == null) {
      throw new IllegalStateException(
          "redisUri is required: call redisUri(...), or redisCluster(...) for Redis Cluster");
    }
    EncryptionKeys k = encryptionKeys;
    if (k == null) {
      throw new IllegalStateException(
          "encryptionKeys is required: call encryptionKeys(EncryptionKeys)");
    }
    return new RedisSharedTier(this, uri, k);
  }

  private static void requireNonNull(String name, @Nullable Object value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
  }
}
