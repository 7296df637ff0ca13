package dev.acstoken.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code acs.*} properties of the starter. An option left unset keeps the library's default,
 * stated with each option. Bound once at start-up; not thread-safe to change afterwards.
 *
 * <p>Secrets ({@code acs.connection-string}, {@code acs.access-key}, the shared tier's encryption
 * keys and the password in {@code acs.shared-tier.redis-uri}) never appear in an error message or a
 * {@code toString}.
 */
@ConfigurationProperties(prefix = "acs")
public class AcsProperties {

  /**
   * Connection string of the ACS resource, endpoint=https://...;accesskey=... Give it, or
   * acs.endpoint with acs.access-key (or with a TokenCredential bean); with none of them, the
   * environment variable ACS_CONNECTION_STRING is read.
   */
  private @Nullable String connectionString;

  /** Endpoint of the ACS resource, e.g. https://contoso.communication.azure.com/. */
  private @Nullable String endpoint;

  /** Base64 access key of the ACS resource, together with acs.endpoint. */
  private @Nullable String accessKey;

  /** Per-call timeout of the client, covering the SDK's retries. Default: 30s. */
  private @Nullable Duration timeout;

  /** Retries of a failed call by the Azure SDK (408, 429, 5xx, transport errors). Default: 3. */
  private @Nullable Integer maxRetries;

  private final Cache cache = new Cache();
  private final SharedTier sharedTier = new SharedTier();
  private final Health health = new Health();
  private final Directory directory = new Directory();
  private final TokenEndpoint tokenEndpoint = new TokenEndpoint();

  /** Creates the properties with every option unset. */
  public AcsProperties() {}

  /** {@return the connection string, or null} */
  public @Nullable String getConnectionString() {
    return connectionString;
  }

  /**
   * Sets the connection string.
   *
   * @param connectionString {@code endpoint=https://...;accesskey=...}
   */
  public void setConnectionString(@Nullable String connectionString) {
    this.connectionString = connectionString;
  }

  /** {@return the endpoint, or null} */
  public @Nullable String getEndpoint() {
    return endpoint;
  }

  /**
   * Sets the endpoint.
   *
   * @param endpoint an https URL
   */
  public void setEndpoint(@Nullable String endpoint) {
    this.endpoint = endpoint;
  }

  /** {@return the access key, or null} */
  public @Nullable String getAccessKey() {
    return accessKey;
  }

  /**
   * Sets the access key.
   *
   * @param accessKey the base64 key
   */
  public void setAccessKey(@Nullable String accessKey) {
    this.accessKey = accessKey;
  }

  /** {@return the per-call timeout, or null for the default} */
  public @Nullable Duration getTimeout() {
    return timeout;
  }

  /**
   * Sets the per-call timeout.
   *
   * @param timeout positive, at most 10 minutes
   */
  public void setTimeout(@Nullable Duration timeout) {
    this.timeout = timeout;
  }

  /** {@return the number of retries, or null for the SDK's default} */
  public @Nullable Integer getMaxRetries() {
    return maxRetries;
  }

  /**
   * Sets the number of retries.
   *
   * @param maxRetries 0 or more
   */
  public void setMaxRetries(@Nullable Integer maxRetries) {
    this.maxRetries = maxRetries;
  }

  /** {@return the cache options} */
  public Cache getCache() {
    return cache;
  }

  /** {@return the shared (Redis) tier options} */
  public SharedTier getSharedTier() {
    return sharedTier;
  }

  /** {@return the health indicator options} */
  public Health getHealth() {
    return health;
  }

  /** {@return the identity directory options} */
  public Directory getDirectory() {
    return directory;
  }

  /** {@return the token endpoint options} */
  public TokenEndpoint getTokenEndpoint() {
    return tokenEndpoint;
  }

  /**
   * The {@code acs.cache.*} options: one per option of {@code CachingTokenProviderBuilder}; an
   * unset option keeps the cache's default.
   */
  public static class Cache {

    /** Whether tokens are served from the refresh-before-expiry cache. */
    private boolean enabled = true;

    /** Refresh point as a fraction of a token's lifetime, in (0, 1). Default: 0.5. */
    private @Nullable Double refreshFraction;

    /** The refresh point is at least this long before expiry. Default: 10m. */
    private @Nullable Duration minRefreshLead;

    /** Largest per-key amount taken off the refresh point. Default: 5m. */
    private @Nullable Duration refreshJitter;

    /** A token with less than this left is never handed out. Default: 5m. */
    private @Nullable Duration safetyMargin;

    /** How long a caller without a valid token waits for the refresh. Default: 15s. */
    private @Nullable Duration waitTimeout;

    /** How long one call to ACS may take. Default: 10s. */
    private @Nullable Duration callTimeout;

    /** Wait after the first failed refresh. Default: 1s. */
    private @Nullable Duration backoffInitial;

    /** Longest wait between two attempts. Default: 2m. */
    private @Nullable Duration backoffMax;

    /** Growth of the wait per failure in a row. Default: 2.0. */
    private @Nullable Double backoffMultiplier;

    /** Random spread of each wait, as a fraction. Default: 0.2. */
    private @Nullable Double backoffJitter;

    /** Keys held at most. Default: 10000. */
    private @Nullable Long maximumSize;

    /** A key not read for this long is evicted. Default: 1h. */
    private @Nullable Duration expireAfterIdle;

    /**
     * Calls per ACS resource to refresh still-valid tokens, per refresh-rate-window. Default: 300.
     */
    private @Nullable Integer refreshRateLimit;

    /** The window of refresh-rate-limit and cold-rate-limit. Default: 30s. */
    private @Nullable Duration refreshRateWindow;

    /** Calls per ACS resource for keys with no usable token, per window. Default: 900. */
    private @Nullable Integer coldRateLimit;

    /** How long a terminal error is given back without a backend call. Default: 5 s. */
    private @Nullable Duration terminalErrorTtl;

    /** Longest wait for one answer of the shared tier before the call goes to ACS. Default: 1 s. */
    private @Nullable Duration sharedTierTimeout;

    /** Longest that one instance holds a key's refresh lease in the shared tier. Default: 15 s. */
    private @Nullable Duration leaseTime;

    /** How often an instance waiting for another's refresh looks in the tier. Default: 100 ms. */
    private @Nullable Duration sharedTierPollInterval;

    /** Whether the cache counts its events for its stats (shown by the health indicator). */
    private boolean recordStats;

    /** Creates the options, all unset. */
    public Cache() {}

    /** {@return whether the cache is on} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the cache on or off.
     *
     * @param enabled whether tokens are cached
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return the refresh fraction, or null} */
    public @Nullable Double getRefreshFraction() {
      return refreshFraction;
    }

    /**
     * Sets the refresh fraction.
     *
     * @param refreshFraction in (0, 1)
     */
    public void setRefreshFraction(@Nullable Double refreshFraction) {
      this.refreshFraction = refreshFraction;
    }

    /** {@return the minimum refresh lead, or null} */
    public @Nullable Duration getMinRefreshLead() {
      return minRefreshLead;
    }

    /**
     * Sets the minimum refresh lead.
     *
     * @param minRefreshLead the lead
     */
    public void setMinRefreshLead(@Nullable Duration minRefreshLead) {
      this.minRefreshLead = minRefreshLead;
    }

    /** {@return the refresh jitter, or null} */
    public @Nullable Duration getRefreshJitter() {
      return refreshJitter;
    }

    /**
     * Sets the refresh jitter.
     *
     * @param refreshJitter the jitter
     */
    public void setRefreshJitter(@Nullable Duration refreshJitter) {
      this.refreshJitter = refreshJitter;
    }

    /** {@return the safety margin, or null} */
    public @Nullable Duration getSafetyMargin() {
      return safetyMargin;
    }

    /**
     * Sets the safety margin.
     *
     * @param safetyMargin less than the minimum refresh lead
     */
    public void setSafetyMargin(@Nullable Duration safetyMargin) {
      this.safetyMargin = safetyMargin;
    }

    /** {@return the wait timeout, or null} */
    public @Nullable Duration getWaitTimeout() {
      return waitTimeout;
    }

    /**
     * Sets the wait timeout.
     *
     * @param waitTimeout positive
     */
    public void setWaitTimeout(@Nullable Duration waitTimeout) {
      this.waitTimeout = waitTimeout;
    }

    /** {@return the call timeout, or null} */
    public @Nullable Duration getCallTimeout() {
      return callTimeout;
    }

    /**
     * Sets the call timeout.
     *
     * @param callTimeout positive
     */
    public void setCallTimeout(@Nullable Duration callTimeout) {
      this.callTimeout = callTimeout;
    }

    /** {@return the initial backoff, or null} */
    public @Nullable Duration getBackoffInitial() {
      return backoffInitial;
    }

    /**
     * Sets the initial backoff.
     *
     * @param backoffInitial positive
     */
    public void setBackoffInitial(@Nullable Duration backoffInitial) {
      this.backoffInitial = backoffInitial;
    }

    /** {@return the longest backoff, or null} */
    public @Nullable Duration getBackoffMax() {
      return backoffMax;
    }

    /**
     * Sets the longest backoff.
     *
     * @param backoffMax at least the initial backoff
     */
    public void setBackoffMax(@Nullable Duration backoffMax) {
      this.backoffMax = backoffMax;
    }

    /** {@return the backoff multiplier, or null} */
    public @Nullable Double getBackoffMultiplier() {
      return backoffMultiplier;
    }

    /**
     * Sets the backoff multiplier.
     *
     * @param backoffMultiplier at least 1
     */
    public void setBackoffMultiplier(@Nullable Double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
    }

    /** {@return the backoff jitter, or null} */
    public @Nullable Double getBackoffJitter() {
      return backoffJitter;
    }

    /**
     * Sets the backoff jitter.
     *
     * @param backoffJitter in [0, 1)
     */
    public void setBackoffJitter(@Nullable Double backoffJitter) {
      this.backoffJitter = backoffJitter;
    }

    /** {@return the maximum number of keys, or null} */
    public @Nullable Long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets the maximum number of keys.
     *
     * @param maximumSize positive
     */
    public void setMaximumSize(@Nullable Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /** {@return the idle expiry, or null} */
    public @Nullable Duration getExpireAfterIdle() {
      return expireAfterIdle;
    }

    /**
     * Sets the idle expiry.
     *
     * @param expireAfterIdle positive
     */
    public void setExpireAfterIdle(@Nullable Duration expireAfterIdle) {
      this.expireAfterIdle = expireAfterIdle;
    }

    /** {@return the refresh rate limit, or null} */
    public @Nullable Integer getRefreshRateLimit() {
      return refreshRateLimit;
    }

    /**
     * Sets the refresh rate limit.
     *
     * @param refreshRateLimit calls per window
     */
    public void setRefreshRateLimit(@Nullable Integer refreshRateLimit) {
      this.refreshRateLimit = refreshRateLimit;
    }

    /** {@return the rate-limit window, or null} */
    public @Nullable Duration getRefreshRateWindow() {
      return refreshRateWindow;
    }

    /**
     * Sets the rate-limit window.
     *
     * @param refreshRateWindow positive
     */
    public void setRefreshRateWindow(@Nullable Duration refreshRateWindow) {
      this.refreshRateWindow = refreshRateWindow;
    }

    /** {@return the cold rate limit, or null} */
    public @Nullable Integer getColdRateLimit() {
      return coldRateLimit;
    }

    /**
     * Sets the cold rate limit.
     *
     * @param coldRateLimit calls per window, at least the refresh rate limit
     */
    public void setColdRateLimit(@Nullable Integer coldRateLimit) {
      this.coldRateLimit = coldRateLimit;
    }

    /** {@return the terminal-error TTL, or null} */
    public @Nullable Duration getTerminalErrorTtl() {
      return terminalErrorTtl;
    }

    /**
     * Sets the terminal-error TTL.
     *
     * @param terminalErrorTtl positive
     */
    public void setTerminalErrorTtl(@Nullable Duration terminalErrorTtl) {
      this.terminalErrorTtl = terminalErrorTtl;
    }

    /** {@return the shared-tier timeout, or null} */
    public @Nullable Duration getSharedTierTimeout() {
      return sharedTierTimeout;
    }

    /**
     * Sets the shared-tier timeout.
     *
     * @param sharedTierTimeout positive
     */
    public void setSharedTierTimeout(@Nullable Duration sharedTierTimeout) {
      this.sharedTierTimeout = sharedTierTimeout;
    }

    /** {@return the lease time, or null} */
    public @Nullable Duration getLeaseTime() {
      return leaseTime;
    }

    /**
     * Sets the lease time.
     *
     * @param leaseTime longer than the call timeout plus the shared-tier timeout
     */
    public void setLeaseTime(@Nullable Duration leaseTime) {
      this.leaseTime = leaseTime;
    }

    /** {@return the shared-tier poll interval, or null} */
    public @Nullable Duration getSharedTierPollInterval() {
      return sharedTierPollInterval;
    }

    /**
     * Sets the shared-tier poll interval.
     *
     * @param sharedTierPollInterval shorter than the lease time
     */
    public void setSharedTierPollInterval(@Nullable Duration sharedTierPollInterval) {
      this.sharedTierPollInterval = sharedTierPollInterval;
    }

    /** {@return whether stats are recorded} */
    public boolean isRecordStats() {
      return recordStats;
    }

    /**
     * Turns stats on or off.
     *
     * @param recordStats whether the cache counts its events
     */
    public void setRecordStats(boolean recordStats) {
      this.recordStats = recordStats;
    }
  }

  /**
   * The {@code acs.shared-tier.*} options: the Redis tier that shares one token per key among the
   * instances of a service (needs {@code dev.acstoken:acs-token-cache-redis}).
   */
  public static class SharedTier {

    /** Whether tokens are shared through Redis (needs acs-token-cache-redis and the cache). */
    private boolean enabled;

    /**
     * Redis URI, e.g. redis://host:6379, rediss://user:password@host:6380 (TLS) or
     * redis-sentinel://host:26379/0#mymaster.
     */
    private @Nullable String redisUri;

    /**
     * Seed nodes of a Redis Cluster (redis:// or rediss:// URIs), instead of
     * acs.shared-tier.redis-uri.
     */
    private List<String> redisCluster = new ArrayList<>();

    /** Base64 AES key (128, 192 or 256 bits) that encrypts the tokens stored in Redis. */
    private @Nullable String encryptionKey;

    /** Id of acs.shared-tier.encryption-key, stored with each record. */
    private String encryptionKeyId = "1";

    /** Older keys, by key id, still read during a key rotation (base64). */
    private Map<String, String> olderEncryptionKeys = new LinkedHashMap<>();

    /** Prefix of every Redis key and of the pub/sub channel. Default: acs-token. */
    private @Nullable String keyPrefix;

    /** Creates the options, all unset. */
    public SharedTier() {}

    /** {@return whether the shared tier is on} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the shared tier on or off.
     *
     * @param enabled whether tokens are shared through Redis
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return the Redis URI, or null} */
    public @Nullable String getRedisUri() {
      return redisUri;
    }

    /**
     * Sets the Redis URI.
     *
     * @param redisUri a redis://, rediss:// or redis-sentinel:// URI
     */
    public void setRedisUri(@Nullable String redisUri) {
      this.redisUri = redisUri;
    }

    /** {@return the Redis Cluster seed nodes; empty when not a cluster} */
    public List<String> getRedisCluster() {
      return redisCluster;
    }

    /**
     * Sets the Redis Cluster seed nodes.
     *
     * @param redisCluster redis:// or rediss:// URIs of some of the cluster's nodes
     */
    public void setRedisCluster(List<String> redisCluster) {
      this.redisCluster = redisCluster == null ? new ArrayList<>() : new ArrayList<>(redisCluster);
    }

    /** {@return the encryption key, or null} */
    public @Nullable String getEncryptionKey() {
      return encryptionKey;
    }

    /**
     * Sets the encryption key.
     *
     * @param encryptionKey base64 AES key
     */
    public void setEncryptionKey(@Nullable String encryptionKey) {
      this.encryptionKey = encryptionKey;
    }

    /** {@return the id of the encryption key} */
    public String getEncryptionKeyId() {
      return encryptionKeyId;
    }

    /**
     * Sets the id of the encryption key.
     *
     * @param encryptionKeyId a short label, e.g. 2026-12
     */
    public void setEncryptionKeyId(String encryptionKeyId) {
      this.encryptionKeyId = encryptionKeyId;
    }

    /** {@return the older keys, by key id} */
    public Map<String, String> getOlderEncryptionKeys() {
      return olderEncryptionKeys;
    }

    /**
     * Sets the older keys.
     *
     * @param olderEncryptionKeys base64 keys by key id
     */
    public void setOlderEncryptionKeys(Map<String, String> olderEncryptionKeys) {
      this.olderEncryptionKeys = olderEncryptionKeys;
    }

    /** {@return the key prefix, or null for the tier's default} */
    public @Nullable String getKeyPrefix() {
      return keyPrefix;
    }

    /**
     * Sets the key prefix.
     *
     * @param keyPrefix the prefix; instances that share use the same
     */
    public void setKeyPrefix(@Nullable String keyPrefix) {
      this.keyPrefix = keyPrefix;
    }
  }

  /** The {@code acs.health.*} options of the health indicator {@code acs} (needs Actuator). */
  public static class Health {

    /** Whether the acs health indicator is registered (when Actuator is present). */
    private boolean enabled = true;

    /** How long a probe's result is reused; at most 10s keeps an outage visible within 30s. */
    private Duration cacheTime = Duration.ofSeconds(10);

    /** How long a probe waits for ACS before reporting DOWN. */
    private Duration timeout = Duration.ofSeconds(5);

    /** Creates the options with their defaults. */
    public Health() {}

    /** {@return whether the health indicator is on} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the health indicator on or off.
     *
     * @param enabled whether it is registered
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return how long a probe's result is reused} */
    public Duration getCacheTime() {
      return cacheTime;
    }

    /**
     * Sets how long a probe's result is reused.
     *
     * @param cacheTime zero or more; zero probes on every health check
     */
    public void setCacheTime(Duration cacheTime) {
      this.cacheTime = cacheTime;
    }

    /** {@return how long a probe waits} */
    public Duration getTimeout() {
      return timeout;
    }

    /**
     * Sets how long a probe waits.
     *
     * @param timeout positive
     */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /**
   * The {@code acs.directory.*} options: a {@code JdbcIdentityDirectory} over the application's
   * {@code DataSource} (needs {@code dev.acstoken:acs-token-directory-jdbc}).
   */
  public static class Directory {

    /** Whether an IdentityDirectory on the application's DataSource is created. */
    private boolean enabled;

    /**
     * Table of the directory, an unquoted identifier, optionally schema.table. Default:
     * acs_identity_directory.
     */
    private @Nullable String tableName;

    /** Whether the table is created at start-up when it is missing. */
    private boolean createTable = true;

    /**
     * After this, an unfinished claim or forget is presumed abandoned and taken over. Default: 2m.
     */
    private @Nullable Duration claimTimeout;

    /**
     * How long a caller waits for another caller creating the same user's identity. Default: 30s.
     */
    private @Nullable Duration waitTimeout;

    /** Creates the options with their defaults. */
    public Directory() {}

    /** {@return whether the directory is on} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the directory on or off.
     *
     * @param enabled whether a directory bean is created
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return the table name, or null for the directory's default} */
    public @Nullable String getTableName() {
      return tableName;
    }

    /**
     * Sets the table name.
     *
     * @param tableName an unquoted identifier, optionally schema.table
     */
    public void setTableName(@Nullable String tableName) {
      this.tableName = tableName;
    }

    /** {@return whether a missing table is created} */
    public boolean isCreateTable() {
      return createTable;
    }

    /**
     * Sets whether a missing table is created; false when Flyway or Liquibase owns the schema.
     *
     * @param createTable whether to create it
     */
    public void setCreateTable(boolean createTable) {
      this.createTable = createTable;
    }

    /** {@return the claim timeout, or null} */
    public @Nullable Duration getClaimTimeout() {
      return claimTimeout;
    }

    /**
     * Sets the claim timeout.
     *
     * @param claimTimeout longer than an ACS call with its retries
     */
    public void setClaimTimeout(@Nullable Duration claimTimeout) {
      this.claimTimeout = claimTimeout;
    }

    /** {@return the wait timeout, or null} */
    public @Nullable Duration getWaitTimeout() {
      return waitTimeout;
    }

    /**
     * Sets the wait timeout.
     *
     * @param waitTimeout positive
     */
    public void setWaitTimeout(@Nullable Duration waitTimeout) {
      this.waitTimeout = waitTimeout;
    }
  }

  /**
   * The {@code acs.token-endpoint.*} options: {@code POST /acs/token}, which gives the
   * authenticated user a token for their own ACS identity (needs a servlet web application and an
   * IdentityDirectory).
   */
  public static class TokenEndpoint {

    /** Whether POST acs.token-endpoint.path serves tokens to authenticated users. */
    private boolean enabled;

    /** Path of the endpoint. */
    private String path = "/acs/token";

    /**
     * Scopes of the tokens it serves: chat, voip, chat.join, chat.join.limited, voip.join. Default:
     * voip.
     */
    private List<String> scopes = new ArrayList<>(List.of("voip"));

    /** Lifetime of the tokens it serves, 60m to 24h. Default: ACS's, 24h. */
    private @Nullable Duration expiresIn;

    /** Requests a user may make per minute; more are answered 429 with Retry-After. */
    private int rateLimit = 10;

    /** Creates the options with their defaults. */
    public TokenEndpoint() {}

    /** {@return whether the endpoint is on} */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Turns the endpoint on or off.
     *
     * @param enabled whether it is exposed
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** {@return the path} */
    public String getPath() {
      return path;
    }

    /**
     * Sets the path.
     *
     * @param path starts with /
     */
    public void setPath(String path) {
      this.path = path;
    }

    /** {@return the scopes, by wire name} */
    public List<String> getScopes() {
      return scopes;
    }

    /**
     * Sets the scopes.
     *
     * @param scopes wire names, e.g. chat, voip
     */
    public void setScopes(List<String> scopes) {
      this.scopes = scopes;
    }

    /** {@return the token lifetime, or null for ACS's default} */
    public @Nullable Duration getExpiresIn() {
      return expiresIn;
    }

    /**
     * Sets the token lifetime.
     *
     * @param expiresIn 60 minutes to 24 hours
     */
    public void setExpiresIn(@Nullable Duration expiresIn) {
      this.expiresIn = expiresIn;
    }

    /** {@return the requests per user per minute} */
    public int getRateLimit() {
      return rateLimit;
    }

    /**
     * Sets the requests per user per minute.
     *
     * @param rateLimit 1 or more
     */
    public void setRateLimit(int rateLimit) {
      this.rateLimit = rateLimit;
    }
  }
}
