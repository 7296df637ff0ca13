package dev.acstoken.cache;

import com.azure.communication.common.CommunicationTokenCredential;
import com.azure.communication.common.CommunicationTokenRefreshOptions;
import dev.acstoken.core.TokenRequest;

/**
 * The {@code CommunicationTokenCredential} of {@link CachingTokenProvider#credential}: the SDK's
 * own class, built with a refresher that asks the cache and with proactive refresh off, so that it
 * starts no timer thread and does not stop refreshing after one failure. The cache keeps the key
 * refreshed (it is pinned), so the SDK's ask, made only once its token has expired, is a hit.
 */
final class CredentialBridge {

  private CredentialBridge() {}

  static CommunicationTokenCredential credential(CachingTokenProvider cache, TokenRequest request) {
    return new CommunicationTokenCredential(
        new CommunicationTokenRefreshOptions(() -> cache.getToken(request).value())
            .setRefreshProactively(false));
  }
}
