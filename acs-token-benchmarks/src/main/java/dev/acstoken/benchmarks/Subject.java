package dev.acstoken.benchmarks;

import com.azure.communication.common.CommunicationTokenCredential;
import com.azure.communication.common.CommunicationTokenRefreshOptions;
import com.azure.core.credential.SimpleTokenCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.google.auth.oauth2.OAuth2CredentialsWithRefresh;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.utils.cache.CachedSupplier;
import software.amazon.awssdk.utils.cache.NonBlocking;
import software.amazon.awssdk.utils.cache.RefreshResult;

/**
 * One token cache under test, this library's or an anchor's, configured as its users configure it
 * and read the way its users read it. {@link #get()} returns the token value.
 */
abstract class Subject implements AutoCloseable {

  /** The caches compared, with how long before expiry each starts its refresh. */
  enum Kind {
    ACS_TOKEN("acs-token CachingTokenProvider (defaults)", Duration.ofMinutes(10), Duration.ZERO),
    AWS_ONE_CALLER_BLOCKS("AWS CachedSupplier, OneCallerBlocks (default)", null, Duration.ZERO),
    AWS_NON_BLOCKING("AWS CachedSupplier, NonBlocking", null, Duration.ZERO),
    // no refresh within 30 s of the previous attempt: the harness lets that pass after the fill
    AZURE_SIMPLE_TOKEN_CACHE(
        "azure-core SimpleTokenCache", Duration.ofMinutes(5), Duration.ofSeconds(30)),
    ACS_CREDENTIAL(
        "ACS CommunicationTokenCredential (refreshProactively)",
        Duration.ofMinutes(10),
        Duration.ZERO),
    GOOGLE_OAUTH2(
        "Google OAuth2CredentialsWithRefresh",
        Duration.ofMinutes(3).plusSeconds(45),
        Duration.ZERO),
    CAFFEINE("Caffeine LoadingCache refreshAfterWrite(12h)", null, Duration.ZERO);

    final String label;

    /** How long before expiry it refreshes; null: it has its own clock, which the harness moves. */
    final @org.jspecify.annotations.Nullable Duration refreshLead;

    /** How long after the fill before a refresh may start at all. */
    final Duration settle;

    Kind(String label, @org.jspecify.annotations.Nullable Duration refreshLead, Duration settle) {
      this.label = label;
      this.refreshLead = refreshLead;
      this.settle = settle;
    }
  }

  static final IdentityId IDENTITY =
      IdentityId.of(
          "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000000-0000-0000-0000-000000000001");
  static final TokenRequest REQUEST = TokenRequest.of(IDENTITY, Scope.VOIP);

  /** Returns the token value, as a user of this cache obtains it. */
  abstract String get() throws Exception;

  /**
   * Makes the subject reach its refresh point about {@code in} from now. Subjects that refresh
   * relative to the token's expiry get a first token whose lifetime puts the point there (see
   * {@link #firstLifetime}); Caffeine, which ignores the token's expiry, has its ticker moved.
   */
  void armRefresh(Duration in) {}

  @Override
  public void close() {}

  /** No cache: a volatile read, to show what the machine's scheduling alone does to the reads. */
  static Subject floor(Backend backend) {
    String value = backend.mint(java.time.Instant.now().plus(Duration.ofHours(24))).value();
    return new Subject() {
      volatile String token = value;

      @Override
      String get() {
        return token;
      }
    };
  }

  /**
   * The lifetime of the first token that puts a subject's refresh point {@code in} after its settle
   * time from now.
   */
  static Duration firstLifetime(Kind kind, Duration in) {
    Duration lead = kind.refreshLead;
    return lead == null ? Duration.ofHours(24) : lead.plus(kind.settle).plus(in);
  }

  /** Creates a subject over the backend; {@code cold}: without a token yet. */
  static Subject create(Kind kind, Backend backend, boolean cold) {
    switch (kind) {
      case ACS_TOKEN:
        return new AcsToken(backend, cold);
      case AWS_ONE_CALLER_BLOCKS:
        return new Aws(backend, false, cold);
      case AWS_NON_BLOCKING:
        return new Aws(backend, true, cold);
      case AZURE_SIMPLE_TOKEN_CACHE:
        return new AzureSimple(backend, cold);
      case ACS_CREDENTIAL:
        return new AcsCredential(backend, cold);
      case GOOGLE_OAUTH2:
        return new Google(backend, cold);
      case CAFFEINE:
        return new CaffeineSubject(backend, cold);
      default:
        throw new IllegalArgumentException("unknown kind " + kind);
    }
  }

  /** This library's TokenProvider contract over the backend. */
  static TokenProvider provider(Backend backend) {
    return new TokenProvider() {
      @Override
      public AccessToken getToken(TokenRequest request) {
        Backend.Token t = backend.issue();
        return AccessToken.of(t.value(), t.expiresAt());
      }

      @Override
      public CompletableFuture<AccessToken> getTokenAsync(TokenRequest request) {
        return backend.issueAsync().thenApply(t -> AccessToken.of(t.value(), t.expiresAt()));
      }
    };
  }

  static final class AcsToken extends Subject {
    final CachingTokenProvider cache;

    AcsToken(Backend backend, boolean cold) {
      cache = CachingTokenProvider.builder(provider(backend)).build();
      if (!cold) {
        cache.getToken(REQUEST);
      }
    }

    @Override
    String get() {
      return cache.getToken(REQUEST).value();
    }

    @Override
    public void close() {
      cache.close();
    }
  }

  static final class Aws extends Subject {
    final CachedSupplier<Backend.Token> supplier;
    final AtomicLong offset = new AtomicLong();
    volatile java.time.Instant firstExpiry = java.time.Instant.MAX;

    Aws(Backend backend, boolean nonBlocking, boolean cold) {
      // the clock returns to real time once a token was fetched after armRefresh moved it
      backend.onIssue(() -> offset.set(0));
      // as the SDK's own credential providers set it: prefetch 5 minutes, stale 1 minute before
      // expiry
      CachedSupplier.Builder<Backend.Token> b =
          CachedSupplier.builder(
              () -> {
                Backend.Token t = backend.issue();
                return RefreshResult.builder(t)
                    .staleTime(t.expiresAt().minus(Duration.ofMinutes(1)))
                    .prefetchTime(t.expiresAt().minus(Duration.ofMinutes(5)))
                    .build();
              });
      if (nonBlocking) {
        b.prefetchStrategy(new NonBlocking("acs-token-benchmarks"));
      }
      // the prefetch time is jittered at random up to a minute before the stale time; armRefresh
      // moves this clock past any jittered prefetch time, a minute before the stale time
      java.time.Clock real = java.time.Clock.systemUTC();
      b.clock(
          new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
              return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public java.time.Instant instant() {
              return real.instant().plusNanos(offset.get());
            }
          });
      supplier = b.build();
      if (!cold) {
        firstExpiry = supplier.get().expiresAt();
      }
    }

    @Override
    void armRefresh(Duration in) {
      java.time.Instant target = firstExpiry.minusSeconds(121);
      offset.set(Duration.between(java.time.Instant.now().plus(in), target).toNanos());
    }

    @Override
    String get() {
      return supplier.get().value();
    }

    @Override
    public void close() {
      supplier.close();
    }
  }

  static final class AzureSimple extends Subject {
    final SimpleTokenCache cache;

    AzureSimple(Backend backend, boolean cold) {
      cache =
          new SimpleTokenCache(
              () ->
                  Mono.fromFuture(
                      () ->
                          backend
                              .issueAsync()
                              .thenApply(
                                  t ->
                                      new com.azure.core.credential.AccessToken(
                                          t.value(),
                                          OffsetDateTime.ofInstant(
                                              t.expiresAt(), ZoneOffset.UTC)))));
      if (!cold) {
        cache.getToken().block();
      }
    }

    @Override
    String get() {
      return cache.getToken().block().getToken();
    }
  }

  static final class AcsCredential extends Subject {
    final CommunicationTokenCredential credential;

    AcsCredential(Backend backend, boolean cold) {
      CommunicationTokenRefreshOptions options =
          new CommunicationTokenRefreshOptions(() -> backend.issue().value())
              .setRefreshProactively(true);
      if (!cold) {
        options.setInitialToken(backend.issue().value());
      }
      credential = new CommunicationTokenCredential(options);
    }

    @Override
    String get() {
      return credential.getToken().block().getToken();
    }

    @Override
    public void close() {
      try {
        credential.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static final class Google extends Subject {
    final OAuth2CredentialsWithRefresh credentials;

    Google(Backend backend, boolean cold) {
      OAuth2CredentialsWithRefresh.Builder b =
          OAuth2CredentialsWithRefresh.newBuilder().setRefreshHandler(() -> google(backend));
      if (!cold) {
        try {
          b.setAccessToken(google(backend));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      credentials = b.build();
    }

    private static com.google.auth.oauth2.AccessToken google(Backend backend) throws IOException {
      Backend.Token t;
      try {
        t = backend.issue();
      } catch (Backend.BackendException e) {
        throw new IOException(e.getMessage(), e);
      }
      return new com.google.auth.oauth2.AccessToken(t.value(), Date.from(t.expiresAt()));
    }

    @Override
    String get() throws IOException {
      // as a user does: make sure it is fresh, then read it
      credentials.refreshIfExpired();
      return credentials.getAccessToken().getTokenValue();
    }
  }

  static final class CaffeineSubject extends Subject {
    final AtomicLong offset = new AtomicLong();
    final LoadingCache<TokenRequest, Backend.Token> cache;

    CaffeineSubject(Backend backend, boolean cold) {
      // as a user sets it for tokens of 24 hours: refresh at half-life, drop before expiry
      cache =
          Caffeine.newBuilder()
              .refreshAfterWrite(Duration.ofHours(12))
              .expireAfterWrite(Duration.ofHours(23))
              .ticker(() -> System.nanoTime() + offset.get())
              .build(k -> backend.issue());
      if (!cold) {
        cache.get(REQUEST);
      }
    }

    @Override
    void armRefresh(Duration in) {
      offset.set(Duration.ofHours(12).minus(in).toNanos());
    }

    @Override
    String get() {
      return cache.get(REQUEST).value();
    }
  }
}
