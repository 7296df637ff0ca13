package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.core.credential.AccessToken;
import dev.acstoken.core.IdentityId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many SDK clients at once, each on its own connection pool, against one emulator. */
class EmulatorConcurrencyTest {

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  @Test
  void manyClientsAtOnce_allSucceed_andStateAddsUp() throws Exception {
    int clients = 16;
    int tokensEach = 10;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        results.add(
            pool.submit(
                (Callable<List<String>>)
                    () -> {
                      // a client of its own, with its own JDK HttpClient and connections
                      CommunicationIdentityClient client =
                          ACS.emulator()
                              .identityClientBuilder()
                              .httpClient(
                                  new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder(
                                          java.net.http.HttpClient.newBuilder()
                                              .sslContext(ACS.emulator().sslContext()))
                                      .build())
                              .buildClient();
                      start.await();
                      CommunicationUserIdentifier user = client.createUser();
                      List<String> tokens = new ArrayList<>();
                      for (int i = 0; i < tokensEach; i++) {
                        AccessToken t =
                            client.getToken(user, List.of(CommunicationTokenScope.VOIP));
                        tokens.add(t.getToken());
                      }
                      tokens.add(0, user.getId());
                      return tokens;
                    }));
      }
      start.countDown();
      for (Future<List<String>> f : results) {
        List<String> r = f.get(120, TimeUnit.SECONDS);
        IdentityId id = IdentityId.of(r.get(0));
        assertThat(ACS.emulator().issuedTokenCount(id)).isEqualTo(tokensEach);
        assertThat(r.subList(1, r.size()))
            .allSatisfy(t -> assertThat(ACS.emulator().isValid(t)).isTrue());
      }
      assertThat(ACS.emulator().identities()).hasSize(clients);
      assertThat(ACS.emulator().requests()).hasSize(clients * (tokensEach + 1));
      assertThat(ACS.emulator().requests())
          .allSatisfy(r -> assertThat(r.status()).isBetween(200, 201));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void probabilisticFault_someCallsFailWithAcsBody_emulatorKeepsServing() {
    CommunicationIdentityClient client =
        ACS.emulator()
            .identityClientBuilder()
            .retryOptions(
                new com.azure.core.http.policy.RetryOptions(
                    new com.azure.core.http.policy.FixedDelayOptions(0, java.time.Duration.ZERO)))
            .buildClient();
    ACS.emulator()
        .inject(
            Fault.status(500, "InternalServerError", "flaky")
                .on(Operation.CREATE_IDENTITY)
                .withProbability(0.5, 7));
    int failures = 0;
    for (int i = 0; i < 40; i++) {
      try {
        client.createUser();
      } catch (com.azure.core.exception.HttpResponseException e) {
        assertThat(e.getResponse().getStatusCode()).isEqualTo(500);
        failures++;
      }
    }

    assertThat(failures).isBetween(5, 35);
    assertThat(ACS.emulator().identities()).hasSize(40 - failures);
  }
}
