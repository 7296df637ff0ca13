package dev.acstoken.cache.redis;

/**
 * The Lua scripts of the tier; each runs atomically on the slot of one identity.
 *
 * <p>A record is a hash: {@code x} is the token's expiry in Unix milliseconds, in the clear so that
 * the scripts can compare expiries; {@code r} is the encrypted record, which holds the token and
 * its expiry again, authenticated (the tier trusts only that one). No script reads a clock but
 * Redis's own {@code TIME}, and only to refuse a token that expired already.
 */
final class Scripts {

  private Scripts() {}

  /**
   * Read-or-lease in one round trip.
   *
   * <p>KEYS: record, lease, epoch. ARGV: min expiry ms, lease ms, owner, skip record ({@code 1}
   * when the caller could not read the record and treats it as absent). Returns {@code {1, r, x}}
   * when the record expires after the min expiry; else {@code {2, epoch}} when the lease was free
   * and is now the owner's; else {@code {0}}: another instance holds it.
   */
  static final String CLAIM =
      "if ARGV[4] == '0' then\n"
          + "  local v = redis.call('HMGET', KEYS[1], 'x', 'r')\n"
          + "  if v[1] and v[2] and tonumber(v[1]) > tonumber(ARGV[1]) then\n"
          + "    return {1, v[2], v[1]}\n"
          + "  end\n"
          + "end\n"
          + "if redis.call('SET', KEYS[2], ARGV[3], 'NX', 'PX', ARGV[2]) then\n"
          + "  return {2, redis.call('GET', KEYS[3]) or '0'}\n"
          + "end\n"
          + "return {0}\n";

  /**
   * Stores a record under the owner's lease, fenced, and releases the lease whatever the outcome.
   *
   * <p>KEYS: record, index, epoch, lease. ARGV: expiry ms, encrypted record, epoch of the claim,
   * owner. Returns 1 if stored; 0 if the identity's epoch moved since the claim (an invalidation
   * ran: the token may predate a revocation); 2 if the stored token expires at or after this one (a
   * late holder never replaces a token that lasts longer); 3 if the token expired already by
   * Redis's clock. The record expires in Redis when the token does; the index lives as long as its
   * longest record.
   */
  static final String STORE =
      "local function release()\n"
          + "  if redis.call('GET', KEYS[4]) == ARGV[4] then redis.call('DEL', KEYS[4]) end\n"
          + "end\n"
          + "local expiry = tonumber(ARGV[1])\n"
          + "if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[3] then release() return 0 end\n"
          + "local stored = redis.call('HGET', KEYS[1], 'x')\n"
          + "if stored and tonumber(stored) >= expiry then release() return 2 end\n"
          + "local t = redis.call('TIME')\n"
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
          + "if expiry <= now then release() return 3 end\n"
          + "redis.call('DEL', KEYS[1])\n"
          + "redis.call('HSET', KEYS[1], 'x', ARGV[1], 'r', ARGV[2])\n"
          + "redis.call('PEXPIREAT', KEYS[1], ARGV[1])\n"
          + "redis.call('SADD', KEYS[2], KEYS[1])\n"
          + "if redis.call('PTTL', KEYS[2]) < expiry - now then\n"
          + "  redis.call('PEXPIREAT', KEYS[2], ARGV[1])\n"
          + "end\n"
          + "release()\n"
          + "return 1\n";

  /** Deletes the lease only if the given owner still holds it. KEYS: lease. ARGV: owner. */
  static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then\n"
          + "  return redis.call('DEL', KEYS[1])\n"
          + "end\n"
          + "return 0\n";

  /**
   * Deletes a record only if it still holds the given encrypted bytes. KEYS: record. ARGV: bytes.
   */
  static final String DELETE_IF_CURRENT =
      "if redis.call('HGET', KEYS[1], 'r') == ARGV[1] then\n"
          + "  return redis.call('DEL', KEYS[1])\n"
          + "end\n"
          + "return 0\n";

  /**
   * Deletes every record of an identity and moves its epoch (so that refreshes in flight do not
   * store tokens that may predate the revocation); {@link #ANNOUNCE} then tells the others.
   *
   * <p>KEYS: index, epoch. ARGV: epoch ttl ms. Returns the new epoch.
   */
  static final String INVALIDATE =
      "local keys = redis.call('SMEMBERS', KEYS[1])\n"
          + "for _, k in ipairs(keys) do redis.call('DEL', k) end\n"
          + "redis.call('DEL', KEYS[1])\n"
          + "local e = redis.call('INCR', KEYS[2])\n"
          + "redis.call('PEXPIRE', KEYS[2], ARGV[1])\n"
          + "return e\n";

  /**
   * Appends an invalidation to the capped stream that instances catch up from after their pub/sub
   * connection was lost, and publishes it with its stream id. A separate script from {@link
   * #INVALIDATE}: in Redis Cluster the stream lives in a slot of its own, and {@code PUBLISH} (no
   * key) reaches every node's subscribers.
   *
   * <p>KEYS: stream. ARGV: max length (approximate), channel, instance id, identity. Returns the
   * stream id.
   */
  static final String ANNOUNCE =
      "local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',"
          + " 'o', ARGV[3], 'i', ARGV[4])\n"
          + "redis.call('PUBLISH', ARGV[2], 'i ' .. id .. ' ' .. ARGV[3] .. ' ' .. ARGV[4])\n"
          + "return id\n";
}
