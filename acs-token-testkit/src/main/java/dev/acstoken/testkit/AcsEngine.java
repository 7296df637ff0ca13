package dev.acstoken.testkit;

import dev.acstoken.core.IdentityId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory ACS Identity service that {@link FakeAcs} and {@link AcsEmulator} share:
 * identities, issued tokens, revocations, deletions and a clock, with the service's validation
 * rules and error catalogue.
 *
 * <p>Inputs arrive in wire form (scope names, minutes, raw ids), so that the fake and the emulator
 * validate alike. Errors are thrown as {@link ServiceError}s. Thread-safe: identity state is
 * changed under the identity's own lock, so that a revocation orders exactly against concurrent
 * issues; the registries are concurrent maps.
 */
final class AcsEngine {

  static final String V2021_03_07 = "2021-03-07";
  static final String V2022_06_01 = "2022-06-01";
  static final String V2022_10_01 = "2022-10-01";
  static final String V2023_10_01 = "2023-10-01";
  static final List<String> API_VERSIONS =
      List.of(V2021_03_07, V2022_06_01, V2022_10_01, V2023_10_01);

  static final int DEFAULT_MINUTES = 1440;
  static final int MIN_MINUTES = 60;
  static final int MAX_MINUTES = 1440;

  private static final Set<String> BASE_SCOPES = Set.of("chat", "voip");
  private static final Set<String> JOIN_SCOPES =
      Set.of("chat.join", "chat.join.limited", "voip.join");
  private static final String GUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
  private static final Pattern GUID_PATTERN = Pattern.compile("^" + GUID + "$");
  private static final Pattern ACS_ID = Pattern.compile("^8:acs:(" + GUID + ")_(" + GUID + ")$");
  private static final Pattern ANY_MRI = Pattern.compile("^8:[a-z-]+:.+$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Clock clock;
  private final String resourceId;
  private final TokenSigner signer;
  private final @Nullable Limits limits;
  private final Map<String, IdentityRecord> identities = new ConcurrentHashMap<>();
  private final Map<String, TokenRecord> tokens = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final EnumMap<Operation, AtomicLong> calls = new EnumMap<>(Operation.class);

  AcsEngine(Clock clock, String resourceId, boolean serviceLimits) {
    if (!GUID_PATTERN.matcher(resourceId).matches()) {
      throw new IllegalArgumentException(
          "resource id '" + resourceId + "' is not a GUID; expected 8-4-4-4-12 hex digits");
    }
    this.clock = clock;
    this.resourceId = resourceId.toLowerCase(Locale.ROOT);
    this.signer = TokenSigner.shared();
    this.limits = serviceLimits ? new Limits() : null;
    for (Operation op : Operation.values()) {
      calls.put(op, new AtomicLong());
    }
  }

  static String randomResourceId() {
    return UUID.randomUUID().toString();
  }

  static void requireGuid(String what, String value) {
    if (value == null || !GUID_PATTERN.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " '" + value + "' is not a GUID");
    }
  }

  Clock clock() {
    return clock;
  }

  String resourceId() {
    return resourceId;
  }

  TokenSigner signer() {
    return signer;
  }

  // ---- operations

  void countCall(Operation op) {
    calls.get(op).incrementAndGet();
  }

  long calls(Operation op) {
    return calls.get(op).get();
  }

  long calls() {
    long n = 0;
    for (AtomicLong c : calls.values()) {
      n += c.get();
    }
    return n;
  }

  /** The result of creating an identity, with its token when scopes were given. */
  static final class Created {
    final IdentityId identity;
    final @Nullable IssuedToken token;

    Created(IdentityId identity, @Nullable IssuedToken token) {
      this.identity = identity;
      this.token = token;
    }
  }

  /**
   * Creates an identity, and a token when {@code scopes} is not null and not empty.
   *
   * @param scopes the {@code createTokenWithScopes} names, or null
   * @param minutes {@code expiresInMinutes}, or null for the default
   */
  Created createIdentity(
      @Nullable List<String> scopes, @Nullable Integer minutes, String apiVersion) {
    boolean withToken = scopes != null && !scopes.isEmpty();
    List<String> canonical = List.of();
    int lifetime = DEFAULT_MINUTES;
    if (withToken) {
      canonical = validateScopes(scopes, "CreateTokenWithScopes", apiVersion);
      lifetime = validateMinutes(minutes);
    }
    if (limits != null) {
      limits.acquire(limits.creations, 1000, "identity creations");
      if (withToken) {
        limits.acquire(limits.issues, 1000, "token issues");
      }
    }
    IdentityId id = IdentityId.of("8:acs:" + resourceId + "_" + newIdentitySuffix());
    IdentityRecord record = new IdentityRecord(id, clock.instant());
    identities.put(id.value(), record);
    IssuedToken token = withToken ? issueLocked(record, canonical, lifetime) : null;
    return new Created(id, token);
  }

  /**
   * Issues a token.
   *
   * @param rawId the identity id as the request named it (decoded)
   * @param scopes the scope names, or null when the request had none
   * @param minutes {@code expiresInMinutes}, or null for the default
   */
  IssuedToken issueToken(
      String rawId, @Nullable List<String> scopes, @Nullable Integer minutes, String apiVersion) {
    String id = owned(rawId);
    if (scopes != null && scopes.isEmpty()) {
      // the service tells "scopes": [] from a missing field, with another message and target
      throw ServiceError.validation("Invalid scopes - Scopes field is required.", "scopes");
    }
    List<String> canonical = validateScopes(scopes, "Scopes", apiVersion);
    int lifetime = validateMinutes(minutes);
    IdentityRecord record = existing(id);
    if (limits != null) {
      limits.acquire(limits.issues, 1000, "token issues");
    }
    return issueLocked(record, canonical, lifetime);
  }

  /** Revokes every token of an identity issued so far. */
  void revokeTokens(String rawId) {
    String id = owned(rawId);
    IdentityRecord record = existing(id);
    if (limits != null) {
      limits.acquire(limits.revocations, 500, "revocations");
    }
    synchronized (record) {
      if (record.deleted) {
        throw ServiceError.identityNotFound();
      }
      // every token with a sequence number up to here was issued before this revocation
      record.revokedUpTo = sequence.get();
      record.revocations++;
    }
  }

  /** Deletes an identity; idempotent for a deleted or unknown identity of this resource. */
  void deleteIdentity(String rawId) {
    String id = owned(rawId);
    if (limits != null) {
      limits.acquire(limits.deletions, 500, "deletions");
    }
    IdentityRecord record = identities.get(id);
    if (record == null) {
      return;
    }
    synchronized (record) {
      record.deleted = true;
      record.deletedAt = clock.instant();
      record.revokedUpTo = sequence.get();
    }
  }

  /**
   * Exchanges a Teams user's Entra token, checking in the order the service reports its errors:
   * body or token missing (400), Entra token invalid or expired (401), AppId / UserId missing
   * (400), malformed (400), then a token of another app or another user (400).
   */
  IssuedToken exchangeTeamsToken(
      @Nullable String entraToken, @Nullable String appId, @Nullable String userId) {
    if (entraToken == null) {
      throw ServiceError.validation(
          "The body is either missing or doesn't contain any token.", null);
    }
    // an empty token is a token, and not a valid one: 401 as the service answers it
    FakeEntraToken.Claims claims = FakeEntraToken.parse(entraToken);
    if (claims == null || !claims.expiresAt.isAfter(clock.instant())) {
      throw ServiceError.invalidAccessToken();
    }
    if (appId == null || appId.isBlank()) {
      throw ServiceError.validation("AppId: The AppId field is required.", "AppId");
    }
    if (userId == null || userId.isBlank()) {
      throw ServiceError.validation("UserId: The UserId field is required.", "UserId");
    }
    if (!GUID_PATTERN.matcher(appId).matches()) {
      throw ServiceError.validation("Provided AppId has invalid format.", "appId");
    }
    if (!GUID_PATTERN.matcher(userId).matches()) {
      throw ServiceError.validation("Provided UserId has invalid format.", "userId");
    }
    if (!appId.equalsIgnoreCase(claims.appId)) {
      throw ServiceError.validation("AAD application is not the expected one.", null);
    }
    if (!userId.equalsIgnoreCase(claims.userId)) {
      throw ServiceError.validation("Provided AAD token issued for unexpected user.", null);
    }
    if (limits != null) {
      limits.acquire(limits.issues, 1000, "token issues");
    }
    IdentityId teamsUser = IdentityId.of("8:orgid:" + userId.toLowerCase(Locale.ROOT));
    Instant now = ticks(clock.instant());
    long seq = sequence.incrementAndGet();
    return sign(
        teamsUser,
        "orgid:" + userId.toLowerCase(Locale.ROOT),
        1024,
        List.of("voip", "chat"),
        now,
        claims.expiresAt,
        seq,
        null);
  }

  // ---- inspection

  /** {@return whether a token was issued by this engine, has not expired and was not revoked} */
  boolean isValid(@Nullable String token) {
    if (token == null || token.isBlank()) {
      return false;
    }
    TokenRecord t = tokens.get(fingerprint(token.trim()));
    if (t == null || !clock.instant().isBefore(t.token.expiresAt())) {
      return false;
    }
    if (t.owner == null) {
      return true;
    }
    synchronized (t.owner) {
      return !t.owner.deleted && t.sequence > t.owner.revokedUpTo;
    }
  }

  /** {@return the live (not deleted) identities, oldest first} */
  List<IdentityId> identities() {
    List<IdentityRecord> all = new ArrayList<>(identities.values());
    all.sort((a, b) -> Long.compare(a.order, b.order));
    List<IdentityId> out = new ArrayList<>();
    for (IdentityRecord r : all) {
      synchronized (r) {
        if (!r.deleted) {
          out.add(r.id);
        }
      }
    }
    return out;
  }

  /** {@return the deleted identities, oldest first} */
  List<IdentityId> deletedIdentities() {
    List<IdentityRecord> all = new ArrayList<>(identities.values());
    all.sort((a, b) -> Long.compare(a.order, b.order));
    List<IdentityId> out = new ArrayList<>();
    for (IdentityRecord r : all) {
      synchronized (r) {
        if (r.deleted) {
          out.add(r.id);
        }
      }
    }
    return out;
  }

  int issuedTokenCount(IdentityId id) {
    IdentityRecord r = identities.get(id.value());
    if (r == null) {
      return 0;
    }
    synchronized (r) {
      return r.issued;
    }
  }

  int revocationCount(IdentityId id) {
    IdentityRecord r = identities.get(id.value());
    if (r == null) {
      return 0;
    }
    synchronized (r) {
      return r.revocations;
    }
  }

  List<IssuedToken> tokens(IdentityId id) {
    List<TokenRecord> out = new ArrayList<>();
    for (TokenRecord t : tokens.values()) {
      if (t.token.identity().equals(id)) {
        out.add(t);
      }
    }
    out.sort((a, b) -> Long.compare(a.sequence, b.sequence));
    List<IssuedToken> result = new ArrayList<>(out.size());
    for (TokenRecord t : out) {
      result.add(t.token);
    }
    return result;
  }

  Optional<IssuedToken> lookup(String token) {
    TokenRecord t = tokens.get(fingerprint(token.trim()));
    return t == null ? Optional.empty() : Optional.of(t.token);
  }

  long tokensIssued() {
    return tokens.size();
  }

  /** Forgets every identity, token and count. */
  void reset() {
    identities.clear();
    tokens.clear();
    for (AtomicLong c : calls.values()) {
      c.set(0);
    }
    if (limits != null) {
      limits.clear();
    }
  }

  // ---- validation

  /**
   * Checks that an id names an identity of this resource.
   *
   * @throws ServiceError 401 IdentityNotOwned for an id of another resource or kind; 400 for
   *     something that is not an identity id at all
   */
  String owned(@Nullable String rawId) {
    if (rawId == null || rawId.isBlank()) {
      throw ServiceError.validation("Provided identity is not valid.", "id");
    }
    Matcher m = ACS_ID.matcher(rawId);
    if (m.matches()) {
      if (!m.group(1).equalsIgnoreCase(resourceId)) {
        throw ServiceError.identityNotOwned();
      }
      return "8:acs:" + resourceId + "_" + m.group(2).toLowerCase(Locale.ROOT);
    }
    if (ANY_MRI.matcher(rawId).matches()) {
      throw ServiceError.identityNotOwned();
    }
    throw ServiceError.validation("Provided identity is not valid.", "id");
  }

  private IdentityRecord existing(String id) {
    IdentityRecord r = identities.get(id);
    if (r == null) {
      throw ServiceError.identityNotFound();
    }
    synchronized (r) {
      if (r.deleted) {
        throw ServiceError.identityNotFound();
      }
    }
    return r;
  }

  static List<String> validateScopes(
      @Nullable List<String> scopes, String field, String apiVersion) {
    if (scopes == null || scopes.isEmpty()) {
      throw ServiceError.validation(field + ": The " + field + " field is required.", field);
    }
    boolean joinAllowed = apiVersion.compareTo(V2023_10_01) >= 0;
    Set<String> out = new LinkedHashSet<>();
    for (String s : scopes) {
      String name = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
      if (!BASE_SCOPES.contains(name) && !(joinAllowed && JOIN_SCOPES.contains(name))) {
        throw ServiceError.validation(
            field + ": Requested value '" + s + "' is not a valid scope.", field);
      }
      out.add(name);
    }
    return List.copyOf(out);
  }

  static int validateMinutes(@Nullable Integer minutes) {
    if (minutes == null) {
      return DEFAULT_MINUTES;
    }
    if (minutes < MIN_MINUTES || minutes > MAX_MINUTES) {
      throw ServiceError.validation(
          "ExpiresInMinutes value "
              + minutes
              + " is invalid. Value must be within the ["
              + MIN_MINUTES
              + ", "
              + MAX_MINUTES
              + "] interval.",
          "ExpiresInMinutes");
    }
    return minutes;
  }

  // ---- issuing

  private IssuedToken issueLocked(IdentityRecord record, List<String> scopes, int minutes) {
    Instant now;
    long seq;
    synchronized (record) {
      if (record.deleted) {
        throw ServiceError.identityNotFound();
      }
      // the sequence number orders this issue against revocations of the same identity
      seq = sequence.incrementAndGet();
      record.issued++;
      now = ticks(clock.instant());
    }
    String skypeId = record.id.value().substring(2);
    return sign(
        record.id, skypeId, 1792, scopes, now, now.plus(Duration.ofMinutes(minutes)), seq, record);
  }

  private IssuedToken sign(
      IdentityId identity,
      String skypeId,
      int scp,
      List<String> scopes,
      Instant issuedAt,
      Instant expiresAt,
      long seq,
      @Nullable IdentityRecord owner) {
    long iat = issuedAt.getEpochSecond();
    long exp = expiresAt.getEpochSecond();
    // compact ASCII JSON without '>', '?' or '~': its standard Base64 has no '+' or '/', so the
    // URL-safe encoding has no '-' or '_' and the Java SDK's plain decoder reads it
    String payload =
        "{\"skypeid\":\""
            + skypeId
            + "\",\"scp\":"
            + scp
            + ",\"csi\":\""
            + iat
            + "\",\"exp\":"
            + exp
            + ",\"acsScope\":\""
            + String.join(",", scopes)
            + "\",\"resourceId\":\""
            + resourceId
            + "\",\"resourceLocation\":\"unitedstates\",\"iat\":"
            + iat
            // a unique token id (hex, so the encoding stays free of '-' and '_'): two tokens
            // issued for the same identity and scopes in the same second still differ, so a
            // token re-issued after a revocation is never the revoked one
            + ",\"jti\":\""
            + tokenId()
            + "\"}";
    String jwt = signer.sign(payload);
    IssuedToken token = new IssuedToken(jwt, identity, scopes, issuedAt, expiresAt);
    tokens.put(fingerprint(jwt), new TokenRecord(token, seq, owner));
    return token;
  }

  private static String tokenId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /** Truncates to the service's precision: .NET ticks of 100 ns, as {@code expiresOn} shows. */
  static Instant ticks(Instant i) {
    return Instant.ofEpochSecond(i.getEpochSecond(), i.getNano() / 100 * 100);
  }

  private static String newIdentitySuffix() {
    // the service's ids look like 00000005-14a2-493b-8a72-5a3a0d000081: random is close enough
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String h = java.util.HexFormat.of().formatHex(b);
    return h.substring(0, 8)
        + "-"
        + h.substring(8, 12)
        + "-"
        + h.substring(12, 16)
        + "-"
        + h.substring(16, 20)
        + "-"
        + h.substring(20, 32);
  }

  private static String fingerprint(String token) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- state

  private static final AtomicLong ORDER = new AtomicLong();

  private static final class IdentityRecord {
    final IdentityId id;
    final Instant createdAt;
    final long order = ORDER.incrementAndGet();
    boolean deleted;
    @Nullable Instant deletedAt;
    long revokedUpTo;
    int issued;
    int revocations;

    IdentityRecord(IdentityId id, Instant createdAt) {
      this.id = id;
      this.createdAt = createdAt;
    }

    @Override
    public String toString() {
      return "IdentityRecord[" + id + ", created " + createdAt + ", deleted " + deletedAt + "]";
    }
  }

  private static final class TokenRecord {
    final IssuedToken token;
    final long sequence;
    final @Nullable IdentityRecord owner;

    TokenRecord(IssuedToken token, long sequence, @Nullable IdentityRecord owner) {
      this.token = token;
      this.sequence = sequence;
      this.owner = owner;
    }
  }

  /** The service's per-resource limits, per 30 seconds of the engine's clock. */
  private final class Limits {
    final ArrayDeque<Instant> issues = new ArrayDeque<>();
    final ArrayDeque<Instant> creations = new ArrayDeque<>();
    final ArrayDeque<Instant> revocations = new ArrayDeque<>();
    final ArrayDeque<Instant> deletions = new ArrayDeque<>();

    void acquire(ArrayDeque<Instant> window, int max, String what) {
      Instant now = clock.instant();
      Instant start = now.minusSeconds(30);
      synchronized (window) {
        while (!window.isEmpty() && !window.peekFirst().isAfter(start)) {
          window.pollFirst();
        }
        if (window.size() >= max) {
          Duration wait = Duration.between(start, window.peekFirst());
          long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
          throw new ServiceError(
              429,
              "TooManyRequests",
              "Rate limit of " + max + " " + what + " per 30 seconds exceeded.",
              null,
              Duration.ofSeconds(seconds));
        }
        window.addLast(now);
      }
    }

    void clear() {
      for (ArrayDeque<Instant> w : List.of(issues, creations, revocations, deletions)) {
        synchronized (w) {
          w.clear();
        }
      }
    }
  }
}
