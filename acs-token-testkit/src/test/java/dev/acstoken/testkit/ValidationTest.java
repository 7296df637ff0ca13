package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.IdentityId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builders validate eagerly; the engine's wire-level rules; request parsing helpers. */
class ValidationTest {

  @Test
  void builders_rejectBadOptionsWithAMessage() {
    assertThatThrownBy(() -> FakeAcs.builder().resourceId("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a GUID");
    assertThatThrownBy(() -> FakeAcs.builder().apiVersion("2020-01-01"))
        .hasMessageContaining("2023-10-01");
    assertThatThrownBy(() -> AcsEmulator.builder().accessKey("***"))
        .hasMessage("access key is not base64");
    assertThatThrownBy(() -> AcsEmulator.builder().port(70000)).hasMessageContaining("70000");
    assertThatThrownBy(() -> Fault.status(200, "Ok", "fine")).hasMessageContaining("200");
    assertThatThrownBy(() -> Fault.latency(Duration.ofMinutes(2))).hasMessageContaining("latency");
    assertThatThrownBy(() -> Fault.connectionReset().times(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> FakeEntraToken.create("x", "y", Instant.now()))
        .hasMessageContaining("appId");
  }

  @Test
  void engine_createWithScopes_validatesLikeIssue() {
    AcsEngine engine =
        new AcsEngine(MutableClock.systemStart(), AcsEngine.randomResourceId(), false);

    assertThatThrownBy(() -> engine.createIdentity(List.of("chat"), 1441, "2022-10-01"))
        .isInstanceOfSatisfying(
            ServiceError.class,
            e -> {
              assertThat(e.target).isEqualTo("ExpiresInMinutes");
              assertThat(e.toJson())
                  .isEqualTo(
                      "{\"error\":{\"code\":\"ValidationError\",\"message\":\"ExpiresInMinutes value 1441 is invalid. Value must be within the [60, 1440] interval.\",\"target\":\"ExpiresInMinutes\"}}");
            });
    assertThatThrownBy(() -> engine.createIdentity(List.of("voip.join"), null, "2022-10-01"))
        .isInstanceOfSatisfying(
            ServiceError.class, e -> assertThat(e.target).isEqualTo("CreateTokenWithScopes"));
    assertThat(engine.createIdentity(List.of(), null, "2022-10-01").token).isNull();
    assertThat(engine.createIdentity(List.of("voip.join"), null, "2023-10-01").token).isNotNull();
  }

  @Test
  void engine_ownership_kindsOfIds() {
    String resource = AcsEngine.randomResourceId();
    AcsEngine engine = new AcsEngine(MutableClock.systemStart(), resource, false);

    assertThatThrownBy(() -> engine.owned("8:spool:abc"))
        .isInstanceOfSatisfying(
            ServiceError.class, e -> assertThat(e.code).isEqualTo("IdentityNotOwned"));
    assertThatThrownBy(() -> engine.owned("hello"))
        .isInstanceOfSatisfying(ServiceError.class, e -> assertThat(e.status).isEqualTo(400));
    IdentityId mine = engine.createIdentity(null, null, "2022-10-01").identity;
    assertThat(
            engine.owned(
                mine.value().toUpperCase(java.util.Locale.ROOT).replace("8:ACS:", "8:acs:")))
        .isEqualTo(mine.value());
  }

  @Test
  void decode_percentEscapes_andRejectsBrokenOnes() {
    assertThat(EmulatorHandler.decode("8%3Aacs%3Ax")).isEqualTo("8:acs:x");
    assertThat(EmulatorHandler.decode("a+b")).isEqualTo("a+b");
    assertThatThrownBy(() -> EmulatorHandler.decode("8%3Xacs")).isInstanceOf(ServiceError.class);
    assertThatThrownBy(() -> EmulatorHandler.decode("8%3")).isInstanceOf(ServiceError.class);
    assertThat(EmulatorHandler.parseQuery("api-version=2022-10-01&x=a%20b&api-version=later"))
        .containsEntry("api-version", "2022-10-01")
        .containsEntry("x", "a b");
  }

  @Test
  void expiresOn_format_hasSevenDigitsAndOffset() {
    assertThat(EmulatorHandler.EXPIRES_ON.format(Instant.parse("2023-06-14T11:29:04.2902987Z")))
        .isEqualTo("2023-06-14T11:29:04.2902987+00:00");
    assertThat(EmulatorHandler.EXPIRES_ON.format(Instant.parse("2023-06-14T11:29:04Z")))
        .isEqualTo("2023-06-14T11:29:04.0000000+00:00");
  }
}
