package dev.acstoken.cache.redis;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Names the Redis keys of the shared tier.
 *
 * <pre>
 * {prefix}:{resource}:{identity tag}:r:{scopes}:{lifetime}   the token record (a hash)
 * {prefix}:{resource}:{identity tag}:l:{scopes}:{lifetime}   the refresh lease
 * {prefix}:{resource}:{identity tag}:i                       the identity's record keys (a set)
 * {prefix}:{resource}:{identity tag}:e                       the identity's invalidation epoch
 * {prefix}:events                                            the pub/sub channel
 * {prefix}:invalidations                                     the stream of recent invalidations
 * </pre>
 *
 * <p>The resource is the configured one, else the ACS resource GUID of the identity, else {@code
 * _}. The identity tag is a Redis Cluster hash tag of a hash of the identity id, {@code {<32
 * hex>}}, so that every key of an identity lives in one slot (the scripts touch them together). No
 * key holds a token. Thread-safe.
 */
final class KeyLayout {

  private final String prefix;
  private final @Nullable String resource;

  KeyLayout(String prefix, @Nullable String resource) {
    this.prefix = prefix;
    this.resource = resource;
  }

  /** The keys of one token request: its record, lease, and its identity's index and epoch. */
  record RequestKeys(String record, String lease, String index, String epoch) {}

  /** The keys of one identity. */
  record IdentityKeys(String index, String epoch) {}

  RequestKeys keys(TokenRequest request) {
    String base = identityBase(request.identity());
    String scopes = request.scopes().stream().map(Scope::wireName).collect(Collectors.joining("+"));
    String lifetime =
        request.lifetime().map(l -> Integer.toString(l.toMinutes())).orElse("default");
    String suffix = ":" + scopes + ":" + lifetime;
    return new RequestKeys(base + ":r" + suffix, base + ":l" + suffix, base + ":i", base + ":e");
  }

  IdentityKeys keys(IdentityId identity) {
    String base = identityBase(identity);
    return new IdentityKeys(base + ":i", base + ":e");
  }

  String channel() {
    return prefix + ":events";
  }

  /** {@return the key of the capped stream of invalidations that instances catch up from} */
  String invalidationLog() {
    return prefix + ":invalidations";
  }

  private String identityBase(IdentityId identity) {
    String res = resource != null ? resource : identity.resourceId().orElse("_");
    return prefix + ":" + res + ":{" + tag(identity.value()) + "}";
  }

  private static String tag(String identity) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(32);
      for (int i = 0; i < 16; i++) {
        hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16));
        hex.append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
