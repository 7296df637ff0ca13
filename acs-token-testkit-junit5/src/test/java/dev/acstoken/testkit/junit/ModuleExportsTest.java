package dev.acstoken.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports its two API packages and nothing else. */
class ModuleExportsTest {

  @Test
  void moduleInfo_exportsTheExtensionAndTheContractSuite() {
    ModuleDescriptor d =
        ModuleFinder.of(Path.of("target/classes"))
            .find("dev.acstoken.testkit.jupiter")
            .orElseThrow()
            .descriptor();

    assertThat(
            d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("dev.acstoken.testkit.junit", "dev.acstoken.testkit.contract");
  }
}
