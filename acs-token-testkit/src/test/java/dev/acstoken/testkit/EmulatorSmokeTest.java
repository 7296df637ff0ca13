package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.communication.common.CommunicationUserIdentifier;
import com.azure.communication.identity.CommunicationIdentityClient;
import com.azure.communication.identity.models.CommunicationTokenScope;
import com.azure.core.credential.AccessToken;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmulatorSmokeTest {

  @Test
  void sdk_createsUserAndIssuesToken() {
    try (AcsEmulator acs = AcsEmulator.start()) {
      CommunicationIdentityClient client = acs.identityClientBuilder().buildClient();
      CommunicationUserIdentifier user = client.createUser();
      AccessToken token = client.getToken(user, List.of(CommunicationTokenScope.CHAT));
      assertThat(acs.isValid(token.getToken())).isTrue();
      System.out.println(acs.requests());
    }
  }
}
