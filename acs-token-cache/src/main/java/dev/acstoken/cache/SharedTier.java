package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.TokenRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A store of tokens shared by every instance of a service (a fleet), which a {@link
 * CachingTokenProvider} consults before it asks the backend: the service-provider interface of the
 * fleet tier ({@code RedisSharedTier} in acs-token-cache-redis implements it).
 *
 * <p>A shared tier decides nothing: freshness, single flight, timeouts, backoff, rate limits and
 * what to do when the tier fails are decided by the cache, on the cache's {@link
 * dev.acstoken.core.TimeSource}. The tier only stores tokens, hands out one refresh lease per key
 * at a time, refuses writes that would replace a token that expires later, and carries
 * invalidations between instances. Expiry instants are compared, never judged against a clock of
 * the tier's own.
 *
 * <p>Every method returns at once and completes its future later; a future that fails (or that the
 * cache stops waiting for) makes the cache go to the backend for that call, as if there were no
 * tier, so a tier must never complete a future with an old token as a refresh result.
 * Implementations are thread-safe, must not block the calling thread, and must not complete futures
 * on a thread that other work depends on.
 */
public interface SharedTier extends AutoCloseable {

  /**
   * In one round trip: returns the key's shared token if it expires after {@code minExpiry};
   * otherwise takes the key's refresh lease for {@code leaseTime} if no one holds it; otherwise
   * says that another instance holds it.
   *
   * @param key the key
   * @param minExpiry the earliest expiry a shared token must beat to be of use to the caller
   * @param leaseTime how long the lease is held at most if it is taken
   * @return the outcome
   */
  CompletableFuture<Claim> claim(TokenRequest key, Instant minExpiry, Duration leaseTime);

  /**
   * Returns the key's shared token if it expires after {@code minExpiry}; for instances that wait
   * while another holds the lease.
   *
   * @param key the key
   * @param minExpiry the earliest expiry a shared token must beat
   * @return the token, or a future of null when there is none that beats {@code minExpiry}
   */
  CompletableFuture<@Nullable AccessToken> read(TokenRequest key, Instant minExpiry);

  /**
   * Stores a token the lease holder got from the backend, and releases the lease. Fenced: the token
   * is not stored if the stored one expires later, nor if an invalidation of the identity happened
   * since the claim was made (the token may predate a revocation).
   *
   * @param key the key
   * @param lease the claim that holds the lease ({@link Claim#isLeased()})
   * @param token the token from the backend
   * @return true if the token was stored, false if the fence refused it
   */
  CompletableFuture<Boolean> store(TokenRequest key, Claim lease, AccessToken token);

  /**
   * Releases a lease without storing anything, e.g. after a failed backend call; a lease that was
   * taken over already is left alone.
   *
   * @param key the key
   * @param lease the claim that holds the lease
   * @return a future completed when released
   */
  CompletableFuture<Void> release(TokenRequest key, Claim lease);

  /**
   * Deletes every shared token of an identity, fences out refreshes that started before, and tells
   * every other instance (whose subscribers then drop their local tokens of it).
   *
   * @param identity whose tokens
   * @return a future completed once the invalidation is stored and published
   */
  CompletableFuture<Void> invalidate(IdentityId identity);

  /**
   * Deletes the key's shared token only if it is still the given one (compare-and-delete), for a
   * token a downstream service rejected.
   *
   * @param key the key
   * @param rejected the token that was rejected
   * @return true if it was the shared token and was deleted
   */
  CompletableFuture<Boolean> invalidateIfCurrent(TokenRequest key, AccessToken rejected);

  /**
   * Adds a subscriber that hears the identities that other instances invalidated; the cache adds
   * one when it is built. Subscribers run on the tier's threads and must not block.
   *
   * @param subscriber the subscriber
   */
  void subscribe(Consumer<IdentityId> subscriber);

  /** Releases the tier's connections. Idempotent. */
  @Override
  void close();

  /**
   * What {@link #claim} found: a shared token that beats the caller's, the key's lease (the caller
   * refreshes and then {@link #store stores}), or neither, because another instance holds the lease
   * (the caller polls with {@link #read}). Immutable; {@code toString} never shows a token.
   */
  final class Claim {

    private final @Nullable AccessToken token;
    private final @Nullable Object fence;

    private Claim(@Nullable AccessToken token, @Nullable Object fence) {
      this.token = token;
      this.fence = fence;
    }

    /**
     * Returns a claim that found a usable shared token.
     *
     * @param token the shared token
     * @return the claim
     * @throws IllegalArgumentException if the token is null
     */
    public static Claim token(AccessToken token) {
      if (token == null) {
        throw new IllegalArgumentException("token must not be null");
      }
      return new Claim(token, null);
    }

    /**
     * Returns a claim that holds the key's lease.
     *
     * @param fence the tier's own proof of the lease (owner, epoch), handed back to it by {@link
     *     #store} and {@link #release}
     * @return the claim
     * @throws IllegalArgumentException if the fence is null
     */
    public static Claim leased(Object fence) {
      if (fence == null) {
        throw new IllegalArgumentException("fence must not be null");
      }
      return new Claim(null, fence);
    }

    /**
     * Returns a claim that found neither a usable token nor a free lease.
     *
     * @return the claim
     */
    public static Claim busy() {
      return new Claim(null, null);
    }

    /** {@return the shared token, if the claim found one} */
    public @Nullable AccessToken token() {
      return token;
    }

    /** {@return whether the claim holds the key's lease} */
    public boolean isLeased() {
      return fence != null;
    }

    /** {@return the tier's proof of the lease, or null if the claim holds none} */
    public @Nullable Object fence() {
      return fence;
    }

    /** {@return TOKEN, LEASED or BUSY; never a token value} */
    @Override
    public String toString() {
      return token != null ? "Claim[TOKEN]" : fence != null ? "Claim[LEASED]" : "Claim[BUSY]";
    }
  }
}
