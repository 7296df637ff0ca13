/**
 * acs-token-cache-redis: the fleet tier. A {@link dev.acstoken.core.TokenProvider} decorator that
 * shares one token per key among every instance of a service through Redis, with one refresh at a
 * time across the fleet, tokens encrypted at rest and revocations published to every instance.
 *
 * <p>Lettuce's configuration types ({@code RedisURI}, {@code ClientOptions}, {@code
 * ClientResources}) are handed through the builder, so the module reads Lettuce transitively.
 */
module dev.acstoken.cache.redis {
  requires transitive dev.acstoken.core;
  requires transitive lettuce.core;
  requires org.slf4j;

  exports dev.acstoken.cache.redis;
}
