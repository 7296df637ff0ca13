package dev.acstoken.cache.redis;

/** The Lua scripts of the tier; each runs atomically on the slot of one identity. */
final class Scripts {

  private Scripts() {}

  /**
   * Stores a record if no invalidation ran since the refresh began and no other instance took over,
   * releases the lease, and tells waiting instances.
   *
   * <p>KEYS: token, index, epoch, lease. ARGV: record, ttl ms, expected epoch, index ttl ms, lease
   * owner, channel, fill message. Returns 1 if stored; 0 if the epoch moved (the token may predate
   * a revocation; the lease is kept for a second fetch); 2 if the lease expired and another
   * instance holds it now (its fresher token is on the way; a late holder does not overwrite it).
   */
  static final String WRITE =
      "local e = redis.call('GET', KEYS[3]) or '0'\n"
          + "if e ~= ARGV[3] then return 0 end\n"
          + "local holder = redis.call('GET', KEYS[4])\n"
          + "if holder and holder ~= ARGV[5] then return 2 end\n"
          + "redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])\n"
          + "redis.call('SADD', KEYS[2], KEYS[1])\n"
          + "if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then\n"
          + "  redis.call('PEXPIRE', KEYS[2], ARGV[4])\n"
          + "end\n"
          + "if holder then redis.call('DEL', KEYS[4]) end\n"
          + "redis.call('PUBLISH', ARGV[6], ARGV[7])\n"
          + "return 1\n";

  /** Deletes the lease only if the given owner still holds it. KEYS: lease. ARGV: owner. */
  static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('DEL', KEYS[1])\n"
          + "end\n"
          + "return 0\n";

  /** Deletes a key only if it still holds the given value. KEYS: key. ARGV: value. */
  static final String DELETE_IF_EQUAL =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('DEL', KEYS[1])\n"
          + "end\n"
          + "return 0\n";

  /**
   * Deletes every record of an identity, moves its epoch (so that refreshes in flight do not store
   * tokens that may predate the revocation) and publishes the invalidation.
   *
   * <p>KEYS: index, epoch. ARGV: epoch ttl ms, channel, message. Returns the new epoch.
   */
  static final String INVALIDATE =
      "local keys = redis.call('SMEMBERS', KEYS[1])\n"
          + "for _, k in ipairs(keys) do redis.call('DEL', k) end\n"
          + "redis.call('DEL', KEYS[1])\n"
          + "local e = redis.call('INCR', KEYS[2])\n"
          + "redis.call('PEXPIRE', KEYS[2], ARGV[1])\n"
          + "redis.call('PUBLISH', ARGV[2], ARGV[3])\n"
          + "return e\n";
}
