package dev.acstoken.spring.autoconfigure;

import dev.acstoken.testkit.AcsEmulator;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.AbstractApplicationContextRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The starter's auto-configurations wired to an emulator, as every test of this module runs them:
 * {@code acs.connection-string} points at the emulator and the client trusts its certificate and
 * retries without delay. One place, so that the tests cannot drift apart in how they reach it.
 */
final class EmulatorContexts {

  private EmulatorContexts() {}

  /**
   * Returns a plain context runner with the given auto-configurations on the emulator.
   *
   * @param emulator the emulator the client talks to
   * @param autoConfigurations the starter's configurations under test
   * @return the runner
   */
  static ApplicationContextRunner runner(AcsEmulator emulator, Class<?>... autoConfigurations) {
    return onEmulator(
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(autoConfigurations)),
        emulator);
  }

  /**
   * Returns a servlet web context runner with the given auto-configurations on the emulator.
   *
   * @param emulator the emulator the client talks to
   * @param autoConfigurations the starter's configurations under test
   * @return the runner
   */
  static WebApplicationContextRunner webRunner(
      AcsEmulator emulator, Class<?>... autoConfigurations) {
    return onEmulator(
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(autoConfigurations)),
        emulator);
  }

  /**
   * Points a runner at the emulator: its connection string, and a client customizer that trusts its
   * certificate and retries without delay.
   *
   * @param runner the runner to configure
   * @param emulator the emulator the client talks to
   * @param <R> the runner's type
   * @return the configured runner
   */
  static <R extends AbstractApplicationContextRunner<R, ?, ?>> R onEmulator(
      R runner, AcsEmulator emulator) {
    return runner
        .withPropertyValues("acs.connection-string=" + emulator.connectionString())
        .withBean(
            "emulatorClient",
            AcsIdentityClientBuilderCustomizer.class,
            () ->
                builder ->
                    builder
                        .httpClient(emulator.httpClient())
                        .retryOptions(AcsEmulator.zeroDelayRetryOptions()));
  }

  /**
   * Sends a request through a DispatcherServlet over the context, as the application's would.
   *
   * @param context a web application context, e.g. of {@link #webRunner}
   * @param request the request
   * @return the response
   * @throws Exception if the request fails outside the handlers
   */
  static MockHttpServletResponse perform(WebApplicationContext context, RequestBuilder request)
      throws Exception {
    return MockMvcBuilders.webAppContextSetup(context)
        .build()
        .perform(request)
        .andReturn()
        .getResponse();
  }

  /** {@return a fresh in-memory H2 database, alive while the context that uses it runs} */
  static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }
}
