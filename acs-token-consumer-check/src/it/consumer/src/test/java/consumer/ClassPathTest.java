package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What this build resolves, compared with what acs-token's own build tested: the class paths are
 * written by maven-dependency-plugin (this build's, and the reactor's for the tested one).
 */
class ClassPathTest {

  private static List<String> jars(String property) throws IOException {
    String file = System.getProperty(property);
    String cp = Files.readString(Path.of(file)).trim();
    return Arrays.stream(cp.split(Pattern.quote(File.pathSeparator)))
        .map(p -> Path.of(p).getFileName().toString())
        .collect(Collectors.toList());
  }

  private static List<String> versionsOf(List<String> jars, String artifactId) {
    Pattern p = Pattern.compile(Pattern.quote(artifactId) + "-(\\d[^-]*(?:-[A-Za-z0-9.]+)?)\\.jar");
    return jars.stream()
        .map(p::matcher)
        .filter(java.util.regex.Matcher::matches)
        .map(m -> m.group(1))
        .collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"azure-core", "reactor-core", "jackson-databind", "jackson-core"})
  void runtimeClasspath_thirdParty_isTheVersionAcsTokenTestedWith(String artifactId)
      throws IOException {
    List<String> tested = versionsOf(jars("acs.testedClasspath"), artifactId);
    List<String> runtime = versionsOf(jars("acs.runtimeClasspath"), artifactId);

    assertEquals(1, tested.size(), artifactId + " in the tested class path: " + tested);
    assertEquals(tested, runtime, artifactId + " at run time");
  }

  @Test
  void testClasspath_thirdParty_sameVersionsAsAtRunTime() throws IOException {
    // the test-scoped testkit must not move a production library to another version
    for (String a : List.of("azure-core", "reactor-core", "jackson-databind")) {
      assertEquals(
          versionsOf(jars("acs.runtimeClasspath"), a), versionsOf(jars("acs.testClasspath"), a), a);
    }
  }

  @Test
  void runtimeClasspath_hasNoTestFrameworkNorServer() throws IOException {
    List<String> leaked =
        jars("acs.runtimeClasspath").stream()
            .filter(j -> j.matches("(junit|opentest4j|assertj|wiremock|jetty|awaitility).*"))
            .collect(Collectors.toList());

    assertTrue(leaked.isEmpty(), "on the production class path: " + leaked);
  }

  @Test
  void testClasspath_junit_isTheConsumersOwnVersion() throws IOException {
    List<String> test = jars("acs.testClasspath");

    assertEquals(List.of("5.11.4"), versionsOf(test, "junit-jupiter-api"));
    assertEquals(List.of("5.11.4"), versionsOf(test, "junit-jupiter-engine"));
    assertEquals(List.of("1.11.4"), versionsOf(test, "junit-platform-engine"));
  }

  @Test
  void testClasspath_theEmulatorBringsNoHttpServer() throws IOException {
    List<String> servers =
        jars("acs.testClasspath").stream()
            .filter(j -> j.matches("(wiremock|jetty|tomcat|undertow).*"))
            .collect(Collectors.toList());

    assertTrue(servers.isEmpty(), "an HTTP server library on the test class path: " + servers);
  }
}
