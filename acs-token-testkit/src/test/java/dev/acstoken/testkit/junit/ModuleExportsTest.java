package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports only the API packages; the standalone launcher stays inside. */
class ModuleExportsTest {

  @Test
  void moduleInfo_exportsOnlyTheApiPackages() {
    ModuleDescriptor d =
        ModuleFinder.of(Path.of("target/classes"))
            .find("dev.acstoken.testkit")
            .orElseThrow()
            .descriptor();

    assertThat(
            d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            "dev.acstoken.testkit", "dev.acstoken.testkit.junit", "dev.acstoken.testkit.contract");
    assertThat(d.packages()).contains("dev.acstoken.testkit.standalone");
  }
}
