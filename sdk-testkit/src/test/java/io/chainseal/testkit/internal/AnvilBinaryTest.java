package io.chainseal.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chainseal.testkit.LocalChainException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnvilBinaryTest {
  @TempDir Path dir;

  private Map<String, String> props(String... keyValues) {
    Map<String, String> map = new HashMap<>(Map.of("os.name", "Linux", "os.arch", "amd64", "user.dir", dir.toString()));
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  private Path executable(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(path, "#!/bin/sh\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }

  @Test
  void systemPropertyWinsOverEverythingElse() throws IOException {
    Path explicit = executable(dir.resolve("custom/anvil"));
    Path onPath = executable(dir.resolve("bin/anvil"));
    Map<String, String> props = props(AnvilBinary.PROPERTY, explicit.toString());
    AnvilBinary binary = new AnvilBinary(props::get, Map.of("PATH", onPath.getParent().toString()));
    assertEquals(explicit, binary.locate());
  }

  @Test
  void environmentVariableComesNext() throws IOException {
    Path fromEnv = executable(dir.resolve("env/anvil"));
    Map<String, String> props = props();
    AnvilBinary binary = new AnvilBinary(props::get, Map.of(AnvilBinary.ENV, fromEnv.toString(), "PATH", ""));
    assertEquals(fromEnv, binary.locate());
  }

  @Test
  void pathComesBeforeTheNpmInstall() throws IOException {
    Path onPath = executable(dir.resolve("bin/anvil"));
    executable(dir.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"));
    Map<String, String> props = props();
    assertEquals(onPath, new AnvilBinary(props::get, Map.of("PATH", onPath.getParent().toString())).locate());
  }

  @Test
  void findsThePlatformBinaryOfAnNpmInstallInAParentFolder() throws IOException {
    Path npm = executable(dir.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"));
    Path nested = Files.createDirectories(dir.resolve("module/sub"));
    Map<String, String> props = props("user.dir", nested.toString());
    assertEquals(npm, new AnvilBinary(props::get, Map.of("PATH", "")).locate());
  }

  @Test
  void skipsTheNodeWrapperOnPath() throws IOException {
    Path wrapper = executable(dir.resolve("node_modules/@foundry-rs/anvil/bin.mjs"));
    Path bin = Files.createDirectories(dir.resolve("node_modules/.bin"));
    Files.createSymbolicLink(bin.resolve("anvil"), wrapper);
    Path npm = executable(dir.resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"));
    Map<String, String> props = props();
    assertEquals(npm, new AnvilBinary(props::get, Map.of("PATH", bin.toString())).locate());
  }

  @Test
  void missingBinaryMessageSaysWhatWasTriedAndHowToInstall() {
    Map<String, String> props = props();
    LocalChainException e = assertThrows(LocalChainException.class,
        () -> new AnvilBinary(props::get, Map.of("PATH", dir.toString())).locate());
    assertTrue(e.getMessage().contains("npm install"), e.getMessage());
    assertTrue(e.getMessage().contains("@foundry-rs/anvil"), e.getMessage());
    assertTrue(e.getMessage().contains(AnvilBinary.PROPERTY), e.getMessage());
    assertTrue(e.getMessage().contains(dir.toString()), "names the folder searched: " + e.getMessage());
  }

  @Test
  void explicitPathThatIsNotExecutableIsRejectedByName() {
    Map<String, String> props = props(AnvilBinary.PROPERTY, dir.resolve("nothing-here").toString());
    LocalChainException e = assertThrows(LocalChainException.class, () -> new AnvilBinary(props::get, Map.of()).locate());
    assertTrue(e.getMessage().contains("nothing-here"), e.getMessage());
  }

  @Test
  void mapsPlatformsToNpmPackages() {
    Map<String, String> mac = props("os.name", "Mac OS X", "os.arch", "aarch64");
    assertEquals("@foundry-rs/anvil-darwin-arm64", new AnvilBinary(mac::get, Map.of()).platformPackage().orElseThrow());
    Map<String, String> odd = props("os.arch", "sparc");
    assertTrue(new AnvilBinary(odd::get, Map.of()).platformPackage().isEmpty());
  }
}
