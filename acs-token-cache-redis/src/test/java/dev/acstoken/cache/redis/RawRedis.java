package dev.acstoken.cache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plain Lettuce client to look at what the tier left in Redis, as an operator would. */
final class RawRedis implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;

  RawRedis(String uri) {
    client = RedisClient.create(RedisURI.create(uri));
    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  RedisCommands<String, byte[]> sync() {
    return connection.sync();
  }

  /** Returns every string value under the prefix, by key. */
  Map<String, byte[]> strings(String prefix) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    List<String> keys = sync().keys(prefix + "*");
    for (String key : keys) {
      if ("string".equals(sync().type(key))) {
        byte[] v = sync().get(key);
        if (v != null) {
          values.put(key, v);
        }
      }
    }
    return values;
  }

  long subscribers(String channel) {
    Map<String, Long> n = sync().pubsubNumsub(channel);
    Long count = n.get(channel);
    return count == null ? 0 : count;
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
